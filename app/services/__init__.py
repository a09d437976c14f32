"""Services own transactions, permissions and audit; views call exactly one of them."""
