"""The translator over the syntax tree, shared by JavaScript and the macro language.

Both languages parse with esprima (the macro language is JavaScript's grammar
plus ``macro "name" {}`` blocks, which :mod:`bridge.port.macro` turns into
plain blocks first).  The tree is walked statement by statement; control flow
becomes Python's (``if``/``elif``/``else``, ``while``, ``for`` as a ``while``
with its update, ``def``), and everything the two languages do differently
goes through a :class:`Dialect`: which calls exist (the translation tables),
what ``+`` and ``==`` mean, how ``print`` writes numbers.

A statement that cannot be translated is never dropped: each of its source
lines becomes a ``# bridge port: line N not translated`` comment and is listed
in :attr:`Port.untranslated`, so ``bridge port`` can name it and exit 1.
"""

from __future__ import annotations

import keyword
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .tables import IMPORTABLE, NUM, NUMBER_METHODS, OBJECT_METHODS, STR, TEXT_METHODS, OutputCall, Twin

Node = Any
"""An esprima node (``node.type`` names its kind, ``node.loc`` its place)."""

# Static types: STR, NUM, or None for "unknown until run time".

# Python's precedence, lowest first: a sub-expression is parenthesized when it binds less tightly.
OR, AND, NOT, COMPARE, BIT_OR, BIT_XOR, BIT_AND, SHIFT, SUM, PRODUCT, UNARY, ATOM = range(1, 13)
_BINARY = {"|": BIT_OR, "^": BIT_XOR, "&": BIT_AND, "<<": SHIFT, ">>": SHIFT,
           "+": SUM, "-": SUM, "*": PRODUCT, "/": PRODUCT}
_COMPARE = {"==": "==", "!=": "!=", "===": "==", "!==": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
#: Names a port must not give a variable or function: Python's keywords, the builtins translations
#: use, and every name a port may import (``run``, ``d2s``, ``IJ``, ``math``, ...).
RESERVED = set(keyword.kwlist) | {"min", "max", "abs", "len", "int", "print", "math", "sys"} | IMPORTABLE


#: The loop stack's mark for a do-while, whose ``continue`` would skip the test (refused).
_DO_WHILE: list[str] = []


class Untranslatable(Exception):
    """A construct with no faithful Python twin; the message says why."""


@dataclass(frozen=True)
class Expr:
    """Python text for one expression, its precedence and its static type (if known)."""

    text: str
    precedence: int = ATOM
    type: str | None = None

    def at(self, precedence: int) -> str:
        """The text, parenthesized if it binds less tightly than ``precedence``."""
        return self.text if self.precedence >= precedence else f"({self.text})"


@dataclass
class Port:
    """A translation: the Python text and the source lines it could not translate."""

    python: str
    untranslated: list[tuple[int, str, str]] = field(default_factory=list)  # (line, source line, why)


class Dialect:
    """What one source language means by its names, calls, ``+``, comparisons and ``print``."""

    language = ""
    add_helper = ""
    str_helper = ""
    #: Calls whose arguments are variables the call sets (the macro's ``getStatistics(area, mean)``).
    output_calls: Mapping[str, OutputCall] = {}

    def __init__(self, translator: Translator) -> None:
        self.t = translator

    def call(self, node: Node) -> Expr:
        raise NotImplementedError

    def identifier(self, name: str) -> Expr | None:
        """A predefined name (``nResults``, ``PI``), or None for a variable."""
        return None

    def member(self, node: Node) -> Expr:
        raise NotImplementedError

    def compare(self, operator: str, left: Expr, right: Expr) -> Expr:
        return Expr(f"{left.at(SUM)} {operator} {right.at(SUM)}", COMPARE, NUM)

    def new(self, node: Node) -> Expr:
        raise Untranslatable("`new` of a Java class bridge does not have")

    def number(self, expr: Expr) -> Expr:
        """An operand of ``-``, ``*``, ``/``, ``%`` or unary ``-`` (JavaScript turns text into a number)."""
        return expr

    def text_chain(self, node: Node) -> Expr | None:
        """A ``+``/``-`` chain the language joins by its own text rule, or None for the shared ``add``."""
        return None

    def statement_call(self, node: Node) -> list[str] | None:
        """Calls that are whole statements of their own (output parameters, no-ops), else None."""
        return None

    def twin(self, twin: Twin, node: Node, args: list[str] | None = None) -> Expr:
        """A call of ``twin`` with the call ``node``'s arguments (or ``args``), importing its name."""
        if args is None:
            args = [a.text for a in self.t.args(node)]
        if twin.module == "math":
            self.t.use("math", "math")
        elif twin.module is not None:
            self.t.use(twin.module, twin.python.split(".")[0])
        return Expr(f"{twin.python}({', '.join(args)})", ATOM, twin.returns)

    def method(self, node: Node) -> Expr:
        """``obj.name(args)``: a string method, or a method of the Java objects bridge models."""
        name = node.callee.property.name
        target = self.t.expr(node.callee.object)
        args = self.t.args(node)
        texts = [a.text for a in args]
        if name in STRING_METHODS and (target.type == STR or name not in OBJECT_METHODS):
            return STRING_METHODS[name](target.at(ATOM), texts)
        if name in OBJECT_METHODS:
            kind = STR if name in TEXT_METHODS else NUM if name in NUMBER_METHODS else None
            return Expr(f"{target.at(ATOM)}.{name}({', '.join(texts)})", ATOM, kind)
        raise Untranslatable(f".{name}() is not a method bridge has")

    def text_of(self, expr: Expr, node: Node) -> str:
        """``expr`` as the language writes it in a concatenation."""
        if expr.type == STR:
            return expr.at(SUM)
        return f"{self.t.use_runtime(self.str_helper)}({expr.text})"


class Translator:
    """Walks one program's tree and writes Python; :func:`translate` is the entry point."""

    def __init__(self, source: str, tree: Node, dialect_class: type[Dialect]) -> None:
        self.source = source
        self.source_lines = source.splitlines()
        self.tree = tree
        self.dialect = dialect_class(self)
        self.lines: list[str] = []
        self.untranslated: list[tuple[int, str, str]] = []
        self.imports: dict[str, dict[str, None]] = {}      # module -> names, in order of first use
        self.comments = sorted(tree.comments or [], key=lambda c: c.range[0])
        self.loops: list[list[str] | None] = []             # per enclosing loop: a for-loop's update lines
        self.functions = {s.id.name for s in tree.body if s.type == "FunctionDeclaration"}
        self.globals_declared = self._top_level_vars()
        self.variables = _declared_names(tree, self.dialect.output_calls)
        self.depth = 0
        self.in_function = False
        self.nesting = 0                                    # > 0 inside an operator's operands
        self.last_line = 0                                  # the source line the output ends with
        self.types: dict[str, str] = {}
        self.types = _infer_types(tree, self)

    # ---------------------------------------------------------------- imports and names

    def use(self, module: str, name: str) -> str:
        """Import ``name`` from ``module`` in the port; returns the name."""
        self.imports.setdefault(module, {})[name] = None
        return name

    def use_runtime(self, name: str) -> str:
        return self.use("bridge.port.runtime", name)

    def name(self, name: str) -> str:
        """A variable or function name, renamed where it would hide Python's or the port's names."""
        if name in RESERVED or name.endswith("_") and name.rstrip("_") in RESERVED:
            return name + "_"
        return name

    def _top_level_vars(self) -> set[str]:
        """Names declared with ``var`` outside functions: the macro's globals."""
        return _declared_vars(self.tree.body)

    # ---------------------------------------------------------------- output

    def emit(self, text: str) -> None:
        self.lines.append("    " * self.depth + text)

    def flush_comments(self, before: int) -> None:
        """Source comments that start before offset ``before``, as Python comments."""
        while self.comments and self.comments[0].range[0] < before:
            comment = self.comments.pop(0)
            if comment.type == "Line" and comment.loc.start.line == self.last_line and self.lines:
                self.lines[-1] += f"  # {comment.value.strip()}"   # a comment at the end of a line
                continue
            for line in comment.value.strip("*").splitlines() or [""]:
                self.emit(f"# {line.strip().lstrip('*').strip()}".rstrip())

    def refuse(self, node: Node, why: str) -> None:
        """Keep a statement's lines as comments and list them: nothing is dropped silently."""
        first, last = node.loc.start.line, node.loc.end.line
        self.comments = [c for c in self.comments if c.range[0] >= node.range[1]]   # shown in the lines
        for number in range(first, last + 1):
            text = self.source_lines[number - 1] if number <= len(self.source_lines) else ""
            reason = why if number == first else f"part of the statement on line {first}"
            self.untranslated.append((number, text, reason))
            self.emit(f"# bridge port: line {number} not translated ({reason}): {text.strip()}")

    # ---------------------------------------------------------------- statements

    def program(self) -> str:
        body = self.tree.body
        functions = [s for s in body if s.type == "FunctionDeclaration"]
        # Definitions first: ImageJ and JavaScript call functions defined further down; Python cannot.
        for statement in functions:
            self.statement(statement)
            self.emit("")
        self.block([s for s in body if s.type != "FunctionDeclaration"])
        self.flush_comments(len("\n".join(self.source_lines)) + 1)
        return self._assemble()

    def _assemble(self) -> str:
        head = [f"# Ported from ImageJ {self.dialect.language} by `bridge port`."]
        modules = sorted(self.imports, key=lambda m: (m.startswith("bridge"), m))
        for module in modules:
            names = list(self.imports[module])
            head.append(f"import {module}" if names == [module] else _from_import(module, names))
        body = "\n".join(self.lines).strip("\n")
        return "\n".join(head) + "\n\n" + body + "\n"

    def block(self, statements: list[Node]) -> None:
        """Statements at the current depth; an empty Python block gets ``pass``."""
        start = len(self.lines)
        for statement in statements:
            self.statement(statement)
        if not any(line.strip() and not line.strip().startswith("#") for line in self.lines[start:]):
            self.emit("pass")

    def body(self, node: Node) -> None:
        """A statement that is a loop's or an ``if``'s body, one level deeper."""
        self.depth += 1
        self.block(node.body if node.type == "BlockStatement" else [node])
        self.depth -= 1

    def statement(self, node: Node) -> None:
        self.flush_comments(node.range[0])
        start, depth = len(self.lines), self.depth
        try:
            handler = getattr(self, f"s_{node.type}", None)
            if handler is None:
                raise Untranslatable(f"{_describe(node.type)} has no translation")
            handler(node)
            self.last_line = node.loc.end.line
        except Untranslatable as why:
            del self.lines[start:]
            self.depth = depth
            self.refuse(node, str(why))

    def s_EmptyStatement(self, node: Node) -> None:
        pass

    def s_BlockStatement(self, node: Node) -> None:
        for statement in node.body:
            self.statement(statement)

    def s_ExpressionStatement(self, node: Node) -> None:
        for line in self.expression_statement(node.expression):
            self.emit(line)

    def expression_statement(self, expr: Node) -> list[str]:
        """Python lines for an expression used as a statement (assignments, ``i++``, calls)."""
        if expr.type == "AssignmentExpression":
            return [self.assignment(expr.operator, expr.left, expr.right)]
        if expr.type == "UpdateExpression":   # ++ and -- count: the operand is a number in both languages
            return [f"{self.target(expr.argument)} {expr.operator[0]}= 1"]
        if expr.type == "SequenceExpression":
            return [line for e in expr.expressions for line in self.expression_statement(e)]
        if expr.type == "CallExpression":
            special = self.dialect.statement_call(expr)
            if special is not None:
                return special
        return [self.expr(expr).text]

    def assignment(self, operator: str, target: Node, value: Node) -> str:
        """``x = v``, ``x += v`` (text or number), ``a[i] = v``."""
        left = self.target(target)
        right = self.expr(value)
        if operator == "=":
            return f"{left} = {right.text}"
        op = operator[:-1]
        if op == "+":
            current = self.expr(target)
            if not (current.type == NUM and right.type == NUM):
                return f"{left} = {self.add(current, right, target, value).text}"
        if op == "%":
            return f"{left} = {self.use('math', 'math')}.fmod({left}, {right.text})"
        if op not in ("+", "-", "*", "/"):
            raise Untranslatable(f"the {operator} operator has no translation")
        return f"{left} {operator} {right.text}"

    def target(self, node: Node) -> str:
        if node.type == "Identifier":
            return self.name(node.name)
        if node.type == "MemberExpression" and node.computed:
            return f"{self.expr(node.object).at(ATOM)}[{self.index(node.property)}]"
        raise Untranslatable("assigning to a field of a Java object")

    def index(self, node: Node) -> str:
        """An array index: the languages truncate a fractional index; Python needs an int."""
        expr = self.expr(node)
        if node.type == "Literal" and isinstance(node.value, (int, float)) and float(node.value).is_integer():
            return str(int(node.value))
        return f"int({expr.text})"

    def s_VariableDeclaration(self, node: Node) -> None:
        for declarator in node.declarations:
            if declarator.id.type != "Identifier":
                raise Untranslatable("destructuring")
            if declarator.init is None:
                raise Untranslatable("a variable declared without a value (it would be undefined)")
            self.emit(f"{self.name(declarator.id.name)} = {self.expr(declarator.init).text}")

    def s_IfStatement(self, node: Node, keyword_: str = "if") -> None:
        self.emit(f"{keyword_} {self.condition(node.test)}:")
        self.body(node.consequent)
        alternate = node.alternate
        if alternate is None:
            return
        if alternate.type == "IfStatement":
            self.flush_comments(alternate.range[0])
            self.s_IfStatement(alternate, "elif")
        else:
            self.emit("else:")
            self.body(alternate)

    def condition(self, node: Node) -> str:
        return self.expr(node).text

    def s_WhileStatement(self, node: Node) -> None:
        self.emit(f"while {self.condition(node.test)}:")
        self.loop_body(node.body, None)

    def s_DoWhileStatement(self, node: Node) -> None:
        self.emit("while True:")
        self.loops.append(_DO_WHILE)
        self.depth += 1
        self.block(node.body.body if node.body.type == "BlockStatement" else [node.body])
        self.emit(f"if not ({self.condition(node.test)}):")
        self.emit("    break")
        self.depth -= 1
        self.loops.pop()

    def s_ForStatement(self, node: Node) -> None:
        """``for (init; test; update)`` as ``init`` + ``while test:`` + body + ``update``.

        A ``continue`` runs the update first, as in the source; the loop variable
        keeps its last value after the loop, as in the source.
        """
        if node.init is not None:
            if node.init.type == "VariableDeclaration":
                self.s_VariableDeclaration(node.init)
            else:
                for line in self.expression_statement(node.init):
                    self.emit(line)
        update = self.expression_statement(node.update) if node.update is not None else []
        self.emit(f"while {self.condition(node.test) if node.test is not None else 'True'}:")
        self.loop_body(node.body, update)
        self.depth += 1
        for line in update:
            self.emit(line)
        self.depth -= 1

    def loop_body(self, body: Node, update: list[str] | None) -> None:
        self.loops.append(update)
        try:
            self.body(body)
        finally:
            self.loops.pop()

    def s_BreakStatement(self, node: Node) -> None:
        if node.label is not None or not self.loops:
            raise Untranslatable("a labelled break")
        self.emit("break")

    def s_ContinueStatement(self, node: Node) -> None:
        if node.label is not None or not self.loops:
            raise Untranslatable("a labelled continue")
        update = self.loops[-1]
        if update is _DO_WHILE:
            raise Untranslatable("continue in a do-while loop")
        for line in update or []:
            self.emit(line)
        self.emit("continue")

    def s_FunctionDeclaration(self, node: Node) -> None:
        if self.depth:
            raise Untranslatable("a function defined inside a block")
        params = []
        for param in node.params:
            if param.type != "Identifier":
                raise Untranslatable("a default or rest parameter")
            params.append(param.name)
        self.emit(f"def {self.name(node.id.name)}({', '.join(self.name(p) for p in params)}):")
        shared = self.shared_names(node, set(params))
        self.depth += 1
        if shared:
            self.emit(f"global {', '.join(self.name(n) for n in sorted(shared))}")
        saved_loops, self.loops, self.in_function = self.loops, [], True
        self.block(node.body.body)
        self.loops, self.in_function = saved_loops, False
        self.depth -= 1

    def shared_names(self, function: Node, params: set[str]) -> set[str]:
        """Names the function assigns that belong to the whole script (Python's ``global``)."""
        local = params | _declared_vars(function.body.body)
        assigned = set(_assigned_names(function.body, self.dialect.output_calls))
        return {n for n in assigned - local if self.dialect_shares(n)}

    def dialect_shares(self, name: str) -> bool:
        """Macro functions share only ``var`` globals; JavaScript functions share any undeclared name."""
        return name in self.globals_declared or self.dialect.language == "JavaScript"

    def s_ReturnStatement(self, node: Node) -> None:
        if not self.in_function:
            if node.argument is not None or self.dialect.language != "macro":
                raise Untranslatable("a return value outside a function (the macro's result for its caller)")
            self.emit(f"{self.use_runtime('macro_exit')}()")   # a macro's top-level `return;` ends it
            return
        self.emit("return" if node.argument is None else f"return {self.expr(node.argument).text}")

    # ---------------------------------------------------------------- expressions

    def expr(self, node: Node) -> Expr:
        handler = getattr(self, f"e_{node.type}", None)
        if handler is None:
            raise Untranslatable(f"{_describe(node.type)} has no translation")
        result: Expr = handler(node)
        return result

    def e_Literal(self, node: Node) -> Expr:
        value = node.value
        if getattr(node, "regex", None) is not None:
            raise Untranslatable("a regular expression literal")
        if isinstance(value, bool):
            return Expr("True" if value else "False", ATOM, NUM)
        if value is None:
            return Expr("None")
        if isinstance(value, str):
            return Expr(_python_string(value), ATOM, STR)
        if not isinstance(value, (int, float)):
            raise Untranslatable(f"the literal {node.raw}")
        return Expr(repr(value), ATOM if value >= 0 else UNARY, NUM)

    def e_Identifier(self, node: Node) -> Expr:
        predefined = self.dialect.identifier(node.name)
        if predefined is not None:
            return predefined
        if node.name not in self.variables:
            raise Untranslatable(f"{node.name} is not a variable of this script nor a name bridge has")
        return Expr(self.name(node.name), ATOM, self.types.get(node.name))

    def e_BinaryExpression(self, node: Node) -> Expr:
        operator = node.operator
        if operator in ("+", "-"):
            text = self.dialect.text_chain(node)
            if text is not None:
                return text
        self.nesting += 1
        try:
            left, right = self.expr(node.left), self.expr(node.right)
        finally:
            self.nesting -= 1
        if operator in ("-", "*", "/", "%"):
            left, right = self.dialect.number(left), self.dialect.number(right)
        if operator == "+":
            return self.add(left, right, node.left, node.right)
        if operator in _COMPARE:
            return self.dialect.compare(_COMPARE[operator], left, right)
        if operator == "%":
            return Expr(f"{self.use('math', 'math')}.fmod({left.text}, {right.text})", ATOM, NUM)
        if operator in ("-", "*", "/"):
            level = _BINARY[operator]
            return Expr(f"{left.at(level)} {operator} {right.at(level + 1)}", level, NUM)
        if operator in ("&", "|", "^", "<<", ">>"):
            level = _BINARY[operator]
            return Expr(f"int({left.text}) {operator} int({right.text})", level, NUM)
        raise Untranslatable(f"the {operator} operator has no translation")

    def add(self, left: Expr, right: Expr, left_node: Node, right_node: Node) -> Expr:
        """``+``: a sum of numbers, a concatenation when a side is text, else the language's rule."""
        if left.type == NUM and right.type == NUM:
            return Expr(f"{left.at(SUM)} + {right.at(SUM + 1)}", SUM, NUM)
        if left.type == STR or right.type == STR:
            left_text = self.dialect.text_of(left, left_node)
            right_text = right.at(SUM + 1) if right.type == STR else self.dialect.text_of(right, right_node)
            return Expr(f"{left_text} + {right_text}", SUM, STR)
        helper = self.use_runtime(self.dialect.add_helper)
        return Expr(f"{helper}({left.text}, {right.text})", ATOM, None)

    def e_LogicalExpression(self, node: Node) -> Expr:
        level, word = (AND, "and") if node.operator == "&&" else (OR, "or")
        left, right = self.expr(node.left), self.expr(node.right)
        return Expr(f"{left.at(level)} {word} {right.at(level + 1)}", level, NUM)

    def e_UnaryExpression(self, node: Node) -> Expr:
        operand = self.expr(node.argument)
        if node.operator == "!":
            return Expr(f"not {operand.at(NOT)}", NOT, NUM)
        if node.operator in ("-", "+"):
            return Expr(f"{node.operator}{self.dialect.number(operand).at(UNARY)}", UNARY, NUM)
        if node.operator == "~":
            return Expr(f"~int({operand.text})", UNARY, NUM)
        raise Untranslatable(f"the {node.operator} operator has no translation")

    def e_ConditionalExpression(self, node: Node) -> Expr:
        test, yes, no = self.expr(node.test), self.expr(node.consequent), self.expr(node.alternate)
        kind = yes.type if yes.type == no.type else None
        return Expr(f"{yes.at(OR)} if {test.at(OR)} else {no.at(OR)}", 0, kind)

    def e_UpdateExpression(self, node: Node) -> Expr:
        raise Untranslatable(f"{node.operator} inside an expression (only as a statement)")

    def e_AssignmentExpression(self, node: Node) -> Expr:
        raise Untranslatable("an assignment inside an expression (only as a statement)")

    def e_CallExpression(self, node: Node) -> Expr:
        callee = node.callee
        if callee.type == "Identifier" and callee.name in self.functions:
            args = ", ".join(self.expr(a).text for a in node.arguments)
            return Expr(f"{self.name(callee.name)}({args})", ATOM, self.types.get(f"{callee.name}()"))
        return self.dialect.call(node)

    def e_MemberExpression(self, node: Node) -> Expr:
        if node.computed:
            return Expr(f"{self.expr(node.object).at(ATOM)}[{self.index(node.property)}]", ATOM,
                        self._element_type(node.object))
        if node.property.name == "length":
            return Expr(f"len({self.expr(node.object).text})", ATOM, NUM)
        return self.dialect.member(node)

    def _element_type(self, array: Node) -> str | None:
        return self.types.get(f"{array.name}[]") if array.type == "Identifier" else None

    def e_NewExpression(self, node: Node) -> Expr:
        return self.dialect.new(node)

    def e_ArrayExpression(self, node: Node) -> Expr:
        return Expr(f"[{', '.join(self.expr(e).text for e in node.elements)}]")

    def args(self, node: Node) -> list[Expr]:
        """A call's arguments, each an expression of its own (not nested in the caller's operators)."""
        saved, self.nesting = self.nesting, 0
        try:
            return [self.expr(a) for a in node.arguments]
        finally:
            self.nesting = saved


def _slice(target: str, args: list[str]) -> Expr:
    """``s.substring(start, end)``: the bounds truncated to whole numbers, as Java's ``(int)``."""
    start, end = (a if a.isdigit() else f"int({a})" for a in [*args, ""][:2])
    return Expr(f"{target}[{start}:{end if len(args) > 1 else ''}]", ATOM, STR)


StringMethod = Callable[[str, list[str]], Expr]
"""Python text for ``target.method(args)``, from the target's and the arguments' texts."""


def _string_method(python: str, kind: str | None, arity: tuple[int, ...]) -> StringMethod:
    def translate(target: str, args: list[str]) -> Expr:
        if len(args) not in arity:
            raise Untranslatable(f"a string method (Python's {python}) with {len(args)} arguments")
        return Expr(f"{target}.{python}({', '.join(args)})", ATOM, kind)
    return translate


def _string_test(template: str) -> StringMethod:
    def translate(target: str, args: list[str]) -> Expr:
        if len(args) != 1:
            raise Untranslatable(f"a string test with {len(args)} arguments")
        return Expr(template.format(arg=args[0], target=target), COMPARE, NUM)
    return translate


#: String methods both languages share (Java's ``String`` in ImageJ's JavaScript and macros).
STRING_METHODS: dict[str, StringMethod] = {
    "substring": _slice,
    "indexOf": _string_method("find", NUM, (1,)),
    "lastIndexOf": _string_method("rfind", NUM, (1,)),
    "startsWith": _string_method("startswith", NUM, (1,)),
    "endsWith": _string_method("endswith", NUM, (1,)),
    "toUpperCase": _string_method("upper", STR, (0,)),
    "toLowerCase": _string_method("lower", STR, (0,)),
    "contains": _string_test("{arg} in {target}"),
    "equals": _string_test("{target} == {arg}"),
}


# ---------------------------------------------------------------- whole-program facts

def _nodes(node: Any, into_functions: bool = True) -> Iterator[Node]:
    """Every node under ``node`` (expressions too); ``into_functions=False`` skips function bodies."""
    if isinstance(node, list):
        for item in node:
            yield from _nodes(item, into_functions)
        return
    if not hasattr(node, "type"):
        return
    yield node
    if node.type == "FunctionDeclaration" and not into_functions:
        return
    for key, value in vars(node).items():
        if key not in ("loc", "range") and (isinstance(value, list) or hasattr(value, "type")):
            yield from _nodes(value, into_functions)


def _declared_vars(statements: list[Node]) -> set[str]:
    """Names declared with ``var``/``let``/``const`` in ``statements``, not inside nested functions."""
    return {child.id.name for child in _nodes(statements, into_functions=False)
            if child.type == "VariableDeclarator" and child.id.type == "Identifier"}


def _declared_names(tree: Node, output_calls: Mapping[str, OutputCall]) -> set[str]:
    """Every name the script gives a value: assigned, declared, a parameter, a function."""
    names = set(_assigned_names(tree, output_calls))
    for child in _nodes(tree.body):
        if child.type == "VariableDeclarator" and child.id.type == "Identifier":
            names.add(child.id.name)
        elif child.type == "FunctionDeclaration":
            names.add(child.id.name)
            names |= {p.name for p in child.params if p.type == "Identifier"}
    return names


def _assigned_names(node: Node, output_calls: Mapping[str, OutputCall]) -> Iterator[str]:
    """Names assigned under ``node``, with the variables output-parameter calls set."""
    for child in _nodes(node):
        if child.type == "AssignmentExpression" and child.left.type == "Identifier":
            yield child.left.name
        elif child.type == "UpdateExpression" and child.argument.type == "Identifier":
            yield child.argument.name
        elif child.type == "CallExpression":
            yield from (name for name, _ in _outputs(child, output_calls))


def _outputs(call: Node, output_calls: Mapping[str, OutputCall]) -> Iterator[tuple[str, str | None]]:
    """(name, static type) of each variable an output-parameter call sets."""
    found = output_calls.get(callee_name(call))
    if found is None:
        return
    for index, arg in enumerate(call.arguments[found.inputs:]):
        if arg.type == "Identifier":
            yield arg.name, found.outputs[index] if index < len(found.outputs) else None


def _infer_types(tree: Node, translator: Translator) -> dict[str, str]:
    """Names (and ``f()`` for user functions) whose every assignment has one static type."""
    types: dict[str, str] = {}
    for _ in range(3):  # names assigned from names: a few rounds reach the fixpoint in practice
        seen: dict[str, set[str | None]] = {}
        for child in _nodes(tree.body):
            if child.type == "VariableDeclarator" and child.init is not None:
                seen.setdefault(child.id.name, set()).add(_quiet_type(translator, child.init, types))
            elif child.type == "AssignmentExpression" and child.left.type == "Identifier":
                kind = _quiet_type(translator, child.right, types) if child.operator == "=" else \
                    (NUM if child.operator != "+=" else None)
                seen.setdefault(child.left.name, set()).add(kind)
            elif child.type == "UpdateExpression" and child.argument.type == "Identifier":
                seen.setdefault(child.argument.name, set()).add(NUM)
            elif child.type == "FunctionDeclaration":
                for param in child.params:
                    seen.setdefault(param.name, set()).add(None)
                returns = {_quiet_type(translator, r.argument, types) for r in _nodes(child.body)
                           if r.type == "ReturnStatement" and r.argument is not None}
                seen.setdefault(f"{child.id.name}()", set()).update(returns or {None})
            elif child.type == "CallExpression":
                for name, kind in _outputs(child, translator.dialect.output_calls):
                    seen.setdefault(name, set()).add(kind)
        types = {name: kind for name, kinds in seen.items() if len(kinds) == 1
                 for kind in kinds if kind is not None}
    return types


def callee_name(call: Node) -> str:
    """``f`` for ``f(...)``, ``Array.sort`` for ``Array.sort(...)``; ``""`` for other callees."""
    callee = call.callee
    if callee.type == "Identifier":
        return str(callee.name)
    if callee.type == "MemberExpression" and not callee.computed and callee.object.type == "Identifier":
        return f"{callee.object.name}.{callee.property.name}"
    return ""


def _quiet_type(translator: Translator, node: Node, types: dict[str, str]) -> str | None:
    """The static type of an expression, or None if it does not translate (yet)."""
    saved_types, saved_imports = translator.types, {k: dict(v) for k, v in translator.imports.items()}
    translator.types = types
    try:
        return translator.expr(node).type
    except Untranslatable:
        return None
    finally:
        translator.types, translator.imports = saved_types, saved_imports


def _from_import(module: str, names: list[str], width: int = 100) -> str:
    """``from module import a, b``, wrapped in parentheses when longer than ``width``."""
    line = f"from {module} import {', '.join(names)}"
    if len(line) <= width:
        return line
    rows, row = [], "    "
    for name in names:
        if len(row) + len(name) + 2 > width and row.strip():
            rows.append(row.rstrip())
            row = "    "
        row += f"{name}, "
    rows.append(row.rstrip())
    return f"from {module} import (\n" + "\n".join(rows) + "\n)"


def _describe(node_type: str) -> str:
    """``SwitchStatement`` -> "a switch statement"."""
    words = "".join(f" {c.lower()}" if c.isupper() else c for c in node_type).strip()
    return f"a {words}"


def _python_string(value: str) -> str:
    """A Python literal for ``value``, double-quoted like the sources usually are."""
    text = repr(value)
    if text.startswith("'") and '"' not in value:
        text = '"' + text[1:-1].replace("\\'", "'") + '"'
    return text


def esprima_module() -> Any:
    """esprima, imported on first use: its import builds Unicode tables (1-3 s), which a port's
    runtime (:mod:`bridge.port.runtime`) and the other ``bridge`` commands should not pay."""
    import esprima
    return esprima


def parse(source: str, top_level_return: bool = False) -> Node:
    """esprima's tree with locations, ranges and comments; a syntax error names its line.

    ``top_level_return``: accept ``return`` outside functions (a macro ends that way), and only that.
    """
    from ..errors import BridgeError
    esprima = esprima_module()
    options = {"loc": True, "range": True, "comment": True, "tolerant": top_level_return}
    try:
        tree = esprima.parseScript(source, options)
    except esprima.Error as err:
        raise BridgeError(f"line {getattr(err, 'lineNumber', '?')}: {getattr(err, 'description', err)}") \
            from None
    for error in getattr(tree, "errors", None) or []:   # what tolerant mode let through
        if "Illegal return statement" not in error.get("message", ""):
            raise BridgeError(f"line {error.get('lineNumber', '?')}: {error.get('message')}")
    return tree


def translate(source: str, tree: Node, dialect_class: type[Dialect]) -> Port:
    translator = Translator(source, tree, dialect_class)
    python = translator.program()
    return Port(python, sorted(translator.untranslated))
