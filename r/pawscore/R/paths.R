# The small JMESPath subset botocore's paginators and waiters use; mirrors
# python/pawscore/paths.py case for case: member names joined by ".", [N] and
# [-N] indexes, [] flatten projections, `a || b`, length(x), and comparisons with
# a literal on the right. Anything else is a paws_usage_error, never a guess.

# A function applied to a value of the wrong kind (length(null)) makes the
# whole expression NULL, as botocore's waiters take jmespath's type errors.
path_search <- function(data, expression) {
  tryCatch(path_eval(data, expression), paws_path_type = function(e) NULL)
}

path_eval <- function(data, expression) {
  expr <- trimws(expression)
  if (grepl("||", expr, fixed = TRUE)) {
    value <- NULL
    for (part in strsplit(expr, "||", fixed = TRUE)[[1]]) {
      value <- path_eval(data, part)
      if (path_truthy(value)) return(value)
    }
    return(value)
  }
  cmp <- regmatches(expr, regexec(
    "^(.*?)\\s*(==|!=|<=|>=|<|>)\\s*(?:`(.*)`|'(.*)')$", expr,
    perl = TRUE
  ))[[1]]
  if (length(cmp)) {
    left <- path_eval(data, cmp[[2]])
    right <- if (startsWith(sub("^.*?(==|!=|<=|>=|<|>)\\s*", "", expr, perl = TRUE), "'")) {
      cmp[[5]] # 'raw string'
    } else {
      tryCatch(jsonlite::parse_json(cmp[[4]]), error = function(e) {
        stop(paws_condition("paws_usage_error", sprintf("unsupported literal in '%s'", expression)))
      })
    }
    return(path_compare(left, cmp[[3]], right))
  }
  if (startsWith(expr, "length(") && endsWith(expr, ")")) {
    value <- path_eval(data, substr(expr, 8L, nchar(expr) - 1L))
    if (is.list(value) || (is.character(value) && length(value) == 1L)) {
      return(if (is.character(value)) nchar(value) else length(value))
    }
    stop(structure(class = c("paws_path_type", "condition"), list(message = "", call = NULL)))
  }
  path_walk(data, expr, expression)
}

# As in Python: null, empty list/object/string and false are "false" for ||.
path_truthy <- function(value) {
  !(is.null(value) || (is.list(value) && !length(value)) || identical(value, "") ||
    identical(value, FALSE))
}

path_compare <- function(left, op, right) {
  if (op %in% c("==", "!=")) {
    equal <- path_equal(left, right)
    return(if (op == "==") equal else !equal)
  }
  numeric_scalar <- function(v) is.numeric(v) && length(v) == 1L
  if (!numeric_scalar(left) || !numeric_scalar(right)) return(NULL)
  switch(op, "<" = left < right, "<=" = left <= right, ">" = left > right, ">=" = left >= right)
}

# JSON equality: same kind (string, number, bool, null, list) and same value.
path_equal <- function(a, b) {
  kind <- function(v) {
    if (is.null(v)) "null" else if (is.logical(v)) "bool" else if (is.numeric(v)) "number"
    else if (is.character(v)) "string" else "other"
  }
  if (kind(a) != kind(b)) return(FALSE)
  if (kind(a) == "other") return(identical(a, b))
  if (kind(a) == "null") return(TRUE)
  length(a) == 1L && length(b) == 1L && a == b
}

path_walk <- function(data, expr, whole) {
  tokens <- regmatches(expr, gregexpr("[A-Za-z_][A-Za-z0-9_]*|\\[-?[0-9]+\\]|\\[\\]|\\.", expr))[[1]]
  if (!identical(paste(tokens, collapse = ""), gsub("\\s", "", expr))) {
    stop(paws_condition("paws_usage_error", sprintf("unsupported path expression: '%s'", whole)))
  }
  current <- data
  projected <- FALSE
  for (token in tokens) {
    if (token == ".") next
    if (token == "[]") {
      if (!is.list(current) || !is.null(names(current))) return(NULL)
      flat <- list()
      for (item in current) {
        if (projected && is.list(item) && is.null(names(item))) flat <- c(flat, item)
        else flat <- c(flat, list(item))
      }
      current <- Filter(Negate(is.null), flat)
      projected <- TRUE
      next
    }
    if (projected) {
      current <- Filter(Negate(is.null), lapply(current, path_step, token = token))
    } else {
      current <- path_step(current, token)
      if (is.null(current)) return(NULL)
    }
  }
  current
}

path_step <- function(value, token) {
  if (startsWith(token, "[")) {
    if (!is.list(value) || !is.null(names(value))) return(NULL)
    i <- as.integer(substr(token, 2L, nchar(token) - 1L))
    n <- length(value)
    if (i < -n || i >= n) return(NULL)
    return(value[[if (i < 0L) n + i + 1L else i + 1L]])
  }
  if (!is.list(value) || is.null(names(value))) return(NULL)
  value[[token]]
}
