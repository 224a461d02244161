"""Frozen data as JSON and back: how a published version of an election is stored.

Generic over frozen dataclasses (the quiz's `ElectionData` and what it holds), driven by their type
hints, so a field added to the voter's data is stored without touching this module. A field that
an older snapshot lacks takes its default.
"""

import dataclasses
import datetime
import types
import typing


def encode(value):
    if dataclasses.is_dataclass(value):
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return [[encode(k), encode(v)] for k, v in value.items()]
    if isinstance(value, tuple | list | set | frozenset):
        items = [encode(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def decode(kind, value):
    if value is None:
        return None
    if dataclasses.is_dataclass(kind):
        hints = typing.get_type_hints(kind)
        return kind(
            **{
                f.name: decode(hints[f.name], value[f.name])
                for f in dataclasses.fields(kind)
                if f.init and f.name in value
            }
        )
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is dict:
        key_kind, value_kind = args
        return {decode(key_kind, k): decode(value_kind, v) for k, v in value}
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(decode(args[0], v) for v in value)
        return tuple(decode(a, v) for a, v in zip(args, value, strict=True))
    if origin in (frozenset, set, list):
        return origin(decode(args[0], v) for v in value)
    if origin in (typing.Union, types.UnionType):
        non_null = [a for a in args if a is not type(None)]
        return decode(non_null[0], value) if len(non_null) == 1 else value
    if kind is datetime.date:
        return datetime.date.fromisoformat(value)
    return value
