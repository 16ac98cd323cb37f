"""mypy plugin: what SQLModel's annotations cannot tell mypy about table models.

1. A table class's fields are SQLAlchemy columns, not values. SQLModel declares `User.id` as
   `int | None`, so mypy reads `User.id == 3` as a `bool` and `User.created_at.desc()` as an
   error. At run time a table class's field is an `InstrumentedAttribute`; this plugin says so for
   class access (what `sqlmodel.col()` does at each call site, in one place). Instance access
   (`user.id`) keeps the declared type.
2. A row's autoincrement key (`id: int | None = Field(default=None, primary_key=True)`) is None
   only between `Model(...)` and the flush that inserts it; the code reads ids of stored rows
   (the NOT NULL foreign keys would reject a None at flush), so reading `row.id` gives `int`,
   and so does the column `Model.id` in a query. Assigning it keeps `int | None`.
3. SQLAlchemy gives each table class a `__table__` (the `Table`), which SQLModel does not declare.
"""

from collections.abc import Callable
from functools import partial

from mypy.nodes import AssignmentStmt, CallExpr, ClassDef, Expression, NameExpr, TypeInfo, Var
from mypy.plugin import AttributeContext, ClassDefContext, Plugin
from mypy.plugins.common import add_attribute_to_class
from mypy.types import Instance, NoneType, Type, UnionType, get_proper_type

SQLMODEL = "sqlmodel.main.SQLModel"
COLUMN = "sqlalchemy.orm.attributes.InstrumentedAttribute"
TABLE = "sqlalchemy.sql.schema.Table"
META = "chalkmark_sqlmodel"


def _record_table(ctx: ClassDefContext) -> None:
    """Note, while the class body is at hand, whether it is a table and which keys autoincrement.

    The note is kept in the class's metadata because mypy's cache does not keep class bodies.
    """
    info = ctx.cls.info
    if not any(base.fullname == SQLMODEL for base in info.mro):
        return
    table = "table" in ctx.cls.keywords or any(
        base.metadata.get(META, {}).get("table") for base in info.mro[1:]
    )
    info.metadata[META] = {"table": table, "keys": _autoincrement_keys(ctx.cls)}
    table_type = ctx.api.named_type_or_none(TABLE)
    if table and table_type is not None:  # SQLAlchemy sets `Model.__table__` on each table class
        add_attribute_to_class(ctx.api, ctx.cls, "__table__", table_type, is_classvar=True)


def _autoincrement_keys(cls: ClassDef) -> list[str]:
    """The fields declared `name: ... = Field(default=None, primary_key=True)`."""
    keys = []
    for statement in cls.defs.body:
        if not isinstance(statement, AssignmentStmt) or not isinstance(statement.rvalue, CallExpr):
            continue
        call = statement.rvalue
        keywords = dict(zip(call.arg_names, call.args, strict=True))
        if _is_name(keywords.get("primary_key"), "builtins.True") and _is_name(
            keywords.get("default"), "builtins.None"
        ):
            keys += [t.name for t in statement.lvalues if isinstance(t, NameExpr)]
    return keys


def _is_name(expr: Expression | None, fullname: str) -> bool:
    return isinstance(expr, NameExpr) and expr.fullname == fullname


def _table_field(plugin: Plugin, fullname: str) -> tuple[TypeInfo, str] | None:
    """The table class and field name when `fullname` is a table model's field."""
    class_name, _, name = fullname.rpartition(".")
    symbol = plugin.lookup_fully_qualified(class_name)
    if symbol is None or not isinstance(symbol.node, TypeInfo):
        return None
    info = symbol.node
    if not info.metadata.get(META, {}).get("table"):
        return None
    node = info.get(name)
    if node is None or not isinstance(node.node, Var):
        return None
    if node.node.is_classvar or name.startswith("_") or name == "model_config":
        return None
    return info, name


def _is_autoincrement_key(info: TypeInfo, name: str) -> bool:
    return any(name in base.metadata.get(META, {}).get("keys", ()) for base in info.mro)


class SQLModelTables(Plugin):
    def get_class_attribute_hook(self, fullname: str) -> Callable[[AttributeContext], Type] | None:
        found = _table_field(self, fullname)
        if found is None:
            return None
        column = self.lookup_fully_qualified(COLUMN)
        if column is None or not isinstance(column.node, TypeInfo):
            return None
        return partial(_as_column, column.node, _is_autoincrement_key(*found))

    def get_attribute_hook(self, fullname: str) -> Callable[[AttributeContext], Type] | None:
        found = _table_field(self, fullname)
        if found is None or not _is_autoincrement_key(*found):
            return None
        return _stored_key

    def get_base_class_hook(self, fullname: str) -> Callable[[ClassDefContext], None] | None:
        return _record_table


def _as_column(column: TypeInfo, stored_key: bool, ctx: AttributeContext) -> Type:
    if ctx.is_lvalue:
        return ctx.default_attr_type
    value = _stored_key(ctx) if stored_key else ctx.default_attr_type
    return Instance(column, [value])


def _stored_key(ctx: AttributeContext) -> Type:
    declared = get_proper_type(ctx.default_attr_type)
    if ctx.is_lvalue or not isinstance(declared, UnionType):
        return ctx.default_attr_type
    present = [t for t in declared.items if not isinstance(get_proper_type(t), NoneType)]
    return UnionType.make_union(present)


def plugin(version: str) -> type[Plugin]:
    return SQLModelTables
