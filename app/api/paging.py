"""Pagination shared by list endpoints: ``page``/``page_size`` in, ``X-Pagination`` header out."""

PAGINATION = {"page_size": 20, "max_page_size": 100}


def page_of(pagination_parameters, result: tuple[list, int]) -> list:
    """Record the total for the ``X-Pagination`` header and return the page's rows."""
    items, total = result
    pagination_parameters.item_count = total
    return items
