"""Pagination shared by list endpoints: ``page``/``page_size`` in, ``X-Pagination`` header out."""

import flask_smorest

from app.schemas.common import INT32

PAGINATION = {"page_size": 20, "max_page_size": 100}


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's blueprint with a 32-bit page number and an honestly documented header."""

    def paginate(self, pager=None, **kwargs):
        """Paginate as flask-smorest does; a page number beyond 32 bits is refused (422)."""
        decorate = super().paginate(pager, **kwargs)

        def decorator(func):
            wrapper = decorate(func)
            # flask-smorest builds a fresh parameters schema per endpoint: bound its page.
            schema = wrapper._apidoc["pagination"]["parameters"]["schema"]
            schema._declared_fields["page"].validators.append(INT32)
            return wrapper

        return decorator

    def _document_pagination_metadata(self, spec, resp_doc) -> None:
        """The header carries the metadata as JSON text: say so (``content``, not ``schema``)."""
        resp_doc.setdefault("headers", {})[self.PAGINATION_HEADER_NAME] = {
            "description": "Pagination metadata (JSON text)",
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/PaginationMetadata"}}
            },
        }


def page_of(pagination_parameters, result: tuple[list, int]) -> list:
    """Record the total for the ``X-Pagination`` header and return the page's rows."""
    items, total = result
    pagination_parameters.item_count = total
    return items
