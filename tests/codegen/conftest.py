"""Session fixtures: packages generated into temporary directories."""

from codegen_helpers import lambda_new, lambda_old, petstore_out

__all__ = ["lambda_new", "lambda_old", "petstore_out"]
