"""Schemas shared by the routers."""

from ninja import Schema

from sejahtera.regions.codes import format_code


class ErrorOut(Schema):
    detail: str


class RegionRef(Schema):
    """A region named inside another record: dotted code and name."""

    code: str
    name: str

    @staticmethod
    def resolve_code(obj) -> str:
        return format_code(obj.code)
