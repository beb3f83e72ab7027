"""Session fixtures: packages generated into temporary directories."""

from codegen_helpers import lambda_mid, lambda_new, lambda_next, lambda_old, petstore_out

__all__ = ["lambda_mid", "lambda_new", "lambda_next", "lambda_old", "petstore_out"]
