"""The ImageJ macro language, ported to Python on :mod:`bridge.macro`.

The macro language is JavaScript's statement and expression grammar plus
``macro "name" { ... }`` blocks, so it parses with esprima once those blocks
are made plain blocks (same lines and columns, so errors and untranslated
lines keep their numbers).  Its meanings differ where the runtime helpers
say (:mod:`bridge.port.runtime`): numbers in text (``"a" + 1/3`` is
``a0.3333``), case-insensitive string comparison, ``split``'s rules.
"""

from __future__ import annotations

from ..errors import BridgeError
from .tables import MACRO, MACRO_FUNCTIONS, MACRO_OUTPUT_CALLS, MATH_FUNCTIONS, NUM, RUNTIME, STR, Twin
from .translate import (ATOM, STRING_METHODS, SUM, Dialect, Expr, Node, Port, Untranslatable, callee_name,
                        esprima_module, parse, translate)

#: The macro's built-in variables that are functions in bridge.macro.
_BUILTIN_VALUES = {"nResults": Expr("nResults()", ATOM, NUM), "nSlices": Expr("nSlices()", ATOM, NUM)}
#: The newest ImageJ whose macros bridge follows (a later ``requires`` would abort in ImageJ 1.53t).
IMAGEJ_VERSION = "1.53t"


class MacroDialect(Dialect):
    language = "macro"
    add_helper = "macro_add"
    str_helper = "macro_str"
    output_calls = MACRO_OUTPUT_CALLS

    def identifier(self, name: str) -> Expr | None:
        if name in _BUILTIN_VALUES:
            value = _BUILTIN_VALUES[name]
            self.t.use(MACRO, value.text.rstrip("()"))
            return value
        if name == "PI":
            return Expr(f"{self.t.use('math', 'math')}.pi", ATOM, NUM)
        if name == "NaN":
            return Expr(f"{self.t.use('math', 'math')}.nan", ATOM, NUM)
        if name == "exit":
            return Expr(f"{self.t.use_runtime('macro_exit')}()", ATOM, None)
        if name in MACRO_FUNCTIONS and name not in self.t.variables:   # `close;`, `id = getTitle;`
            return self.twin(MACRO_FUNCTIONS[name], None, [])
        return None

    def call(self, node: Node) -> Expr:
        name = callee_name(node)
        if node.callee.type == "MemberExpression" and name not in MACRO_FUNCTIONS \
                and name not in MATH_FUNCTIONS and name not in MACRO_OUTPUT_CALLS:
            head = node.callee.object
            if head.type != "Identifier" or head.name in self.t.variables:
                return self.method(node)   # a string's method: s.indexOf("x")
        if name == "print":
            return self.print_call(node)
        if name == "toString" and len(node.arguments) in (1, 2):
            args = self.t.args(node)
            if len(args) == 2:
                return self.twin(MACRO_FUNCTIONS["d2s"], node)
            return Expr(f"{self.t.use_runtime('macro_str')}({args[0].text})", ATOM, STR)
        if name == "exit" and len(node.arguments) <= 1:
            return self.twin(Twin("macro_exit", RUNTIME), node)
        if name in STRING_FUNCTIONS and node.arguments:
            args = self.t.args(node)
            return STRING_FUNCTIONS[name](args[0].at(ATOM), [a.text for a in args[1:]])
        if name == "close" and node.arguments:
            raise Untranslatable("close(pattern): bridge.macro closes only the current image")
        twin = MACRO_FUNCTIONS.get(name) or MATH_FUNCTIONS.get(name)
        if twin is None:
            if name in MACRO_OUTPUT_CALLS:
                raise Untranslatable(f"{name}() sets its arguments: only as a statement of its own")
            raise Untranslatable(f"{name or 'this call'}() is not in bridge's macro functions")
        return self.twin(twin, node)

    def print_call(self, node: Node) -> Expr:
        """``print(a, b)``: each argument is text the macro's way (an own function's number in full)."""
        args = self.t.args(node)
        if len(args) == 1 and args[0].type == STR:
            return Expr(f"print({args[0].text})", ATOM)
        texts = ", ".join(self.text_of(a, n) if self._own_call(n) else a.text
                          for a, n in zip(args, node.arguments))
        return Expr(f"{self.t.use_runtime('macro_print')}({texts})", ATOM)

    def statement_call(self, node: Node) -> list[str] | None:
        """``getStatistics(area, mean);`` -> ``area, mean = getStatistics()[:2]``; no-op settings."""
        name = callee_name(node)
        if name == "setBatchMode":
            return ["# setBatchMode(...): bridge runs without windows, as in batch mode"]
        if name == "requires":
            wanted = node.arguments[0].value if node.arguments and node.arguments[0].type == "Literal" else None
            if not isinstance(wanted, str) or wanted > IMAGEJ_VERSION:
                raise Untranslatable(f"requires a newer ImageJ than {IMAGEJ_VERSION}")
            return [f"# requires({wanted!r}): bridge follows ImageJ {IMAGEJ_VERSION}"]
        if name not in MACRO_OUTPUT_CALLS:
            return None
        twin, inputs = MACRO_OUTPUT_CALLS[name].twin, MACRO_OUTPUT_CALLS[name].inputs
        outputs = node.arguments[inputs:]
        if not outputs or any(a.type != "Identifier" for a in outputs):
            raise Untranslatable(f"{name}() needs variable names to set")
        targets = ", ".join(self.t.name(a.name) for a in outputs)
        call = self.twin(twin, node, [self.t.expr(a).text for a in node.arguments[:inputs]])
        return [f"{targets}{',' if len(outputs) == 1 else ''} = {call.text}[:{len(outputs)}]"]

    def member(self, node: Node) -> Expr:
        if callee_name_of_member(node) == "File.separator":
            return Expr(f"{self.t.use_runtime('MacroFile')}.separator", ATOM, STR)
        raise Untranslatable(f"the field .{node.property.name} is not in bridge's macro functions")

    def compare(self, operator: str, left: Expr, right: Expr) -> Expr:
        if left.type == NUM or right.type == NUM:   # a number on one side: the macro compares numbers
            return super().compare(operator, left, right)
        helper = self.t.use_runtime("macro_compare")
        return Expr(f"{helper}({left.text}, {operator!r}, {right.text})", ATOM, NUM)

    def text_chain(self, node: Node) -> Expr | None:
        """``"a" + 1 + 2`` is ``a3`` in a macro: after text, each run of numbers is summed first.

        ImageJ's ``Interpreter.getString`` reads a ``+`` chain term by term: text as it
        is; a number starts an arithmetic run that takes every following ``- x`` and
        every ``+ x`` whose ``x`` is not text, then writes the run's value.  A call of
        the script's own function is a term of its own (Java's ``""+value``).
        """
        items = _chain(node, self.t.source)
        top = self.t.nesting == 0          # a chain inside parentheses or arithmetic is a number
        self.t.nesting += 1
        try:
            exprs = [(op, self.t.expr(operand), operand) for op, operand in items]
        finally:
            self.t.nesting -= 1
        if all(e.type == NUM for _, e, _ in exprs):
            return None                                   # numbers only: plain arithmetic
        if any(e.type is None for _, e, _ in exprs):      # text or number known only at run time
            texts = [self.text_of(e, operand) if top and self._own_call(operand)
                     and (i == 0 or exprs[i - 1][1].type == STR) else e.text   # an own call starting a term
                     for i, (_, e, operand) in enumerate(exprs)]
            args = [texts[0]] + [part for (op, _, _), text in zip(exprs[1:], texts[1:]) for part in (repr(op), text)]
            return Expr(f"{self.t.use_runtime('macro_chain')}({', '.join(args)})", ATOM, None)
        pieces: list[str] = []
        i = 0
        while i < len(exprs):
            op, expr, operand = exprs[i]
            if op == "-" and (expr.type == STR or i > 0):   # ImageJ: text - x stops with an error
                raise Untranslatable("subtracting from or subtracting text")
            if expr.type == STR or (top and self._own_call(operand)):
                pieces.append(self.text_of(expr, operand))
                i += 1
                continue
            run = expr.at(SUM)
            i += 1
            while i < len(exprs) and (exprs[i][0] == "-" or exprs[i][1].type != STR):
                run += f" {exprs[i][0]} {exprs[i][1].at(SUM + 1)}"
                i += 1
            pieces.append(f"{self.t.use_runtime('macro_str')}({run})")
        return Expr(" + ".join(pieces), SUM, STR)

    def _own_call(self, node: Node) -> bool:
        return bool(node.type == "CallExpression" and callee_name(node) in self.t.functions)

    def text_of(self, expr: Expr, node: Node) -> str:
        """A user function's number is written as Java's ``""+value`` (``0.3333333333333333``)."""
        if expr.type != STR and node is not None and self._own_call(node):
            return f"{self.t.use_runtime('macro_returned_str')}({expr.text})"
        return super().text_of(expr, node)


def _chain(node: Node, source: str) -> list[tuple[str, Node]]:
    """``a + b - c`` as [("+", a), ("+", b), ("-", c)]: the left-nested ``+``/``-`` operands in order.

    A parenthesized left operand, ``(a + b) - c``, is one operand (the tree keeps no
    parentheses: the source does, right after the operand).
    """
    if node.type == "BinaryExpression" and node.operator in ("+", "-"):
        left = node.left
        parenthesized = source[left.range[1]:].lstrip().startswith(")")
        head = [("+", left)] if parenthesized else _chain(left, source)
        return [*head, (node.operator, node.right)]
    return [("+", node)]


#: The macro's string functions: ``substring(s, 1)`` is ``s.substring(1)``.
STRING_FUNCTIONS = {name: STRING_METHODS[name] for name in (
    "substring", "indexOf", "lastIndexOf", "startsWith", "endsWith", "toUpperCase", "toLowerCase")}


def callee_name_of_member(node: Node) -> str:
    """``File.separator`` for that member expression; ``""`` for others."""
    if node.object.type == "Identifier" and not node.computed:
        return f"{node.object.name}.{node.property.name}"
    return ""


def plain_blocks(source: str) -> str:
    """``macro "name" {`` becomes ``{`` at the same place; more than one macro block is refused.

    A file of several macros is a macro *set* (ImageJ installs them as menu
    items); one block runs as the file's program.
    """
    esprima = esprima_module()
    try:
        tokens = esprima.tokenize(source, {"range": True, "loc": True})
    except esprima.Error as err:
        raise BridgeError(f"line {getattr(err, 'lineNumber', '?')}: {getattr(err, 'description', err)}") \
            from None
    text = list(source)
    blocks = 0
    for first, second, third in zip(tokens, tokens[1:], tokens[2:]):
        if first.type == "Identifier" and first.value == "macro" and second.type == "String" \
                and third.value == "{":
            blocks += 1
            if blocks > 1:
                raise BridgeError(f"line {first.loc.start.line}: a second macro block: bridge ports "
                                  "one macro per file (split a macro set into files)")
            for i in range(first.range[0], second.range[1]):
                if text[i] not in "\r\n":
                    text[i] = " "
    return "".join(text)


def port_macro(source: str) -> Port:
    """Translate an ImageJ macro; untranslatable lines become comments and are listed."""
    source = source.replace("\r\n", "\n")
    return translate(source, parse(plain_blocks(source), top_level_return=True), MacroDialect)


__all__ = ["port_macro", "MacroDialect"]
