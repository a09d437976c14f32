"""见习 Jianxi matching library: pure Python, no web framework or database."""
