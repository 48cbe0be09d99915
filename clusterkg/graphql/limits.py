"""Refuse requests that would cost the server too much, before running them.

Depth, aliases and tokens are limited by strawberry's own extensions; this
adds an estimate of the number of objects a request can produce: every list
field multiplies what is below it by its `first` argument (or 10 without one).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    value_from_ast_untyped,
)
from strawberry.extensions import SchemaExtension

from clusterkg.graphql.errors import LimitExceeded

DEFAULT_LIST_SIZE = 10  # lists without `first` (competences, ecosystems, explanation pairs) are small in the data


def _unwrap(type_: Any) -> tuple[Any, bool]:
    is_list = False
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        is_list |= isinstance(type_, GraphQLList)
        type_ = type_.of_type
    return type_, is_list


def estimate_cost(
    schema: GraphQLSchema, document: DocumentNode, variables: dict[str, Any], operation_name: str | None
) -> int:
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    operation = next(
        (o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)), None
    )
    if operation is None:
        return 0
    root = schema.get_root_type(operation.operation)

    def size_of(field: FieldNode, is_list: bool) -> int:
        for argument in field.arguments or ():
            if argument.name.value == "first":
                value = argument.value
                number = (
                    variables.get(value.name.value)
                    if isinstance(value, VariableNode)
                    else value_from_ast_untyped(value, variables)
                )
                if isinstance(number, int):
                    return max(number, 1)
        for argument in field.arguments or ():  # partnerSearch(input: {first: …})
            if argument.name.value == "input":
                value = value_from_ast_untyped(argument.value, variables)
                if isinstance(value, dict) and isinstance(first := value.get("first"), int):
                    return max(first, 1)
        return DEFAULT_LIST_SIZE if is_list else 1

    def walk(selection_set: SelectionSetNode | None, parent: Any, multiplier: int) -> int:
        if selection_set is None or not isinstance(parent, GraphQLObjectType) and not hasattr(parent, "types"):
            return 0
        total = 0
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                fields = getattr(parent, "fields", {})
                definition = fields.get(selection.name.value)
                if definition is None:
                    continue
                inner, is_list = _unwrap(definition.type)
                count = multiplier * size_of(selection, is_list)
                total += count
                total += walk(selection.selection_set, inner, count)
            elif isinstance(selection, InlineFragmentNode):
                target = schema.get_type(selection.type_condition.name.value) if selection.type_condition else parent
                total += walk(selection.selection_set, target, multiplier)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value in fragments:
                fragment = fragments[selection.name.value]
                total += walk(fragment.selection_set, schema.get_type(fragment.type_condition.name.value), multiplier)
        return total

    return walk(operation.selection_set, root, 1)


def cost_limit(budget: int) -> type[SchemaExtension]:
    class CostLimit(SchemaExtension):
        def on_execute(self) -> Iterator[None]:
            context = self.execution_context
            if context.graphql_document is not None:
                cost = estimate_cost(
                    context.schema._schema, context.graphql_document, context.variables or {}, context.operation_name
                )
                if cost > budget:
                    raise LimitExceeded(
                        f"this request could produce about {cost} objects; the limit is {budget}: ask for fewer (smaller first, fewer nested lists)"
                    )
            yield

    return CostLimit
