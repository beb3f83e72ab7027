# Run parity-matrix rows with pawslambda in one R process.
# Usage: Rscript run_rows.R tasks.json results.json
# Each task: list(row, env (named: the whole AWS environment and HOME), config,
# calls). Before each row every AWS_* variable is unset and the row's are set.
args <- commandArgs(trailingOnly = TRUE)
tasks <- jsonlite::fromJSON(args[1], simplifyVector = FALSE)
suppressPackageStartupMessages(library(pawslambda))

run_task <- function(task) {
  old <- grep("^AWS_", names(Sys.getenv()), value = TRUE)
  if (length(old)) Sys.unsetenv(old)
  do.call(Sys.setenv, task$env)
  results <- list()
  svc <- tryCatch(lambda(config = task$config), error = function(e) e)
  for (name in task$calls) {
    res <- if (inherits(svc, "error")) {
      svc
    } else {
      tryCatch(
        {
          svc$get_function(FunctionName = name)
          NULL
        },
        error = function(e) e
      )
    }
    results[[length(results) + 1]] <- if (is.null(res)) {
      list(ok = TRUE)
    } else {
      list(
        ok = FALSE, classes = as.list(class(res)), code = res$code %||% NULL,
        message = conditionMessage(res)
      )
    }
  }
  list(row = task$row, results = results)
}

`%||%` <- function(x, y) if (is.null(x)) y else x
out <- lapply(tasks, run_task)
jsonlite::write_json(out, args[2], auto_unbox = TRUE, null = "null")
