"""ImageJ JavaScript, ported to Python on the facade (``IJ``, ``DicomTools``, ``DICOM``).

ImageJ's JavaScript calls Java: ``IJ.openImage`` and the image's own methods
(``imp.getTitle()``, ``imp.getStatistics().mean``).  The facade has those
names, so most calls keep their text; what differs is JavaScript's own:
``+`` with a string concatenates (``null`` becomes ``"null"``, ``2.0``
becomes ``"2"``), and ``print`` writes numbers as JavaScript does.
"""

from __future__ import annotations

from .tables import FACADE, JS_CLASSES, JS_FUNCTIONS, OBJECT_FIELDS, STR, TEXT_FIELDS
from .translate import ATOM, Dialect, Expr, Node, Port, Untranslatable, callee_name, parse, translate


class JavaScriptDialect(Dialect):
    language = "JavaScript"
    add_helper = "js_add"
    str_helper = "js_str"

    def identifier(self, name: str) -> Expr | None:
        if name in JS_CLASSES.values():
            return Expr(self.t.use(FACADE, name), ATOM)
        return None

    def call(self, node: Node) -> Expr:
        name = callee_name(node)
        if name == "print" or name == "IJ.log":
            args = self.t.args(node)
            if len(args) != 1:
                raise Untranslatable(f"{name} with {len(args)} arguments")
            if args[0].type == STR:
                return Expr(f"print({args[0].text})", ATOM)
            return Expr(f"{self.t.use_runtime('js_print')}({args[0].text})", ATOM)
        if name in JS_FUNCTIONS:
            return self.twin(JS_FUNCTIONS[name], node)
        if node.callee.type == "MemberExpression" and not node.callee.computed:
            head = node.callee.object
            if head.type == "Identifier" and (head.name in JS_CLASSES.values() or head.name == "Math"):
                raise Untranslatable(f"{name}() is not in bridge's facade")
            return self.method(node)
        raise Untranslatable(f"{name or 'this call'}() is not in bridge's facade")

    def number(self, expr: Expr) -> Expr:
        """JavaScript's ``"7" - 1`` is 6 and ``"t" - 1`` NaN: text and unknowns go through ``js_number``."""
        if expr.type == "num":
            return expr
        return Expr(f"{self.t.use_runtime('js_number')}({expr.text})", ATOM, "num")

    def statement_call(self, node: Node) -> list[str] | None:
        """``importClass(Packages.ij.IJ)``: the facade's class is imported at the top instead."""
        if callee_name(node) not in ("importClass", "importPackage"):
            return None
        if callee_name(node) == "importPackage" or len(node.arguments) != 1:
            raise Untranslatable("importPackage: name the classes (importClass) bridge has")
        java_name = _dotted(node.arguments[0])
        if not java_name.startswith("Packages.") or java_name[len("Packages."):] not in JS_CLASSES:
            raise Untranslatable(f"{java_name} is not in bridge's facade")
        self.t.use(FACADE, JS_CLASSES[java_name[len("Packages."):]])
        return []

    def member(self, node: Node) -> Expr:
        """A Java object's public field (``stats.mean``, ``cal.pixelWidth``)."""
        name = node.property.name
        if node.object.type == "Identifier" and node.object.name == "Math" and name in ("PI", "E"):
            return Expr(f"{self.t.use('math', 'math')}.{name.lower()}", ATOM, "num")
        if name not in OBJECT_FIELDS:
            raise Untranslatable(f"the field .{name} is not one bridge has")
        target = self.t.expr(node.object)
        return Expr(f"{target.at(ATOM)}.{name}", ATOM, STR if name in TEXT_FIELDS else "num")

    def new(self, node: Node) -> Expr:
        if node.callee.type == "Identifier" and node.callee.name == "DICOM" and not node.arguments:
            return Expr(f"{self.t.use(FACADE, 'DICOM')}()", ATOM)
        return super().new(node)


def _dotted(node: Node) -> str:
    """``Packages.ij.IJ`` from its member-expression tree; ``""`` if it is not a dotted name."""
    if node.type == "Identifier":
        return str(node.name)
    if node.type == "MemberExpression" and not node.computed:
        head = _dotted(node.object)
        return f"{head}.{node.property.name}" if head else ""
    return ""


def port_javascript(source: str) -> Port:
    """Translate ImageJ JavaScript; untranslatable lines become comments and are listed."""
    source = source.replace("\r\n", "\n")
    return translate(source, parse(source), JavaScriptDialect)


__all__ = ["port_javascript", "JavaScriptDialect"]
