from .scope import ScopeMiddleware

__all__ = ["ScopeMiddleware"]
