# Input validation against the model: every problem is collected, then raised
# as one `paws_param_error` before anything is sent. Problem wording follows the
# Python runtime ("<path>: <problem>"); list positions are 1-based, as in R.

# Validate `params` (a named list; NULL members mean "not given") against the
# input shape `shape_name` (NULL when the operation takes no input); `extra`
# holds problems found before (arguments the operation does not have). Returns
# the params with NULLs dropped.
validate_params <- function(api, shape_name, params, extra = character()) {
  params <- drop_nulls(params %||% list())
  if (is.null(shape_name)) {
    problems <- if (length(params)) {
      sprintf(
        "%s: unknown parameter(s); the operation takes none",
        paste(names(params), collapse = ", ")
      )
    }
  } else {
    problems <- check_value(api, shape_name, params, "", top = TRUE)
  }
  problems <- c(problems, extra)
  if (length(problems)) stop(param_error(problems))
  params
}

drop_nulls <- function(x) {
  if (!length(x)) {
    return(x)
  }
  x[!vapply(x, is.null, logical(1))]
}

check_value <- function(api, shape_name, value, path, top = FALSE) {
  shape <- api$shapes[[shape_name]]
  shape$name <- shape_name
  checker <- switch(shape$type,
    structure = check_structure,
    list = check_list,
    map = check_map,
    string = check_string,
    integer = check_integer,
    long = check_long,
    float = ,
    double = check_double,
    boolean = check_boolean,
    blob = check_blob,
    timestamp = check_timestamp,
    function(api, shape, value, path, top) character()
  )
  checker(api, shape, value, path, top)
}

check_structure <- function(api, shape, value, path, top) {
  if (isTRUE(shape$document)) {
    return(character())
  }
  if (!is_named_list(value)) {
    return(expected_problem(path, sprintf("a named list (structure %s)", shape$name), value))
  }
  value <- drop_nulls(value)
  members <- names(shape$members)
  problems <- character()
  for (req in unlist(shape$required)) {
    if (is.null(value[[req]])) {
      what <- if (top) "required parameter" else "required member"
      problems <- c(problems, problem(join_path(path, req), paste(what, "is missing")))
    }
  }
  for (name in names(value)) {
    if (!name %in% members) {
      expected <- if (length(members)) paste(members, collapse = ", ") else "none"
      problems <- c(problems, problem(
        join_path(path, name), paste("unknown parameter; expected one of", expected)
      ))
      next
    }
    problems <- c(problems, check_value(
      api, shape$members[[name]]$shape, value[[name]], join_path(path, name)
    ))
  }
  if (isTRUE(shape$union) && length(value) > 1) {
    problems <- c(problems, problem(path, sprintf(
      "union %s takes exactly one member, got %d", shape$name, length(value)
    )))
  }
  problems
}

check_list <- function(api, shape, value, path, top) {
  ok <- (is.list(value) && !is.object(value) && is.null(names(value))) ||
    (is.atomic(value) && !is.null(value) && !is.raw(value) && is.null(names(value)) &&
      !is.object(value))
  if (!ok) {
    return(expected_problem(path, "an unnamed list or vector", value))
  }
  problems <- check_size(path, length(value), shape, "items")
  for (i in seq_along(value)) {
    item_path <- sprintf("%s[%d]", path, i)
    problems <- c(problems, check_value(api, shape$member$shape, value[[i]], item_path))
  }
  problems
}

check_map <- function(api, shape, value, path, top) {
  if (!is_named_list(value)) {
    return(expected_problem(path, "a named list (map)", value))
  }
  problems <- check_size(path, length(value), shape, "entries")
  # A sensitive key (Lambda's environment variable names) is a secret too: the
  # path names the entry by its position instead.
  hide_keys <- isTRUE(api$shapes[[shape$key$shape]]$sensitive)
  keys <- names(value)
  for (i in seq_along(keys)) {
    label <- if (hide_keys) sprintf("#%d", i) else encodeString(keys[[i]], quote = "'")
    key_path <- sprintf("%s key %s", path, label)
    value_path <- sprintf("%s[%s]", path, label)
    problems <- c(problems, check_value(api, shape$key$shape, keys[[i]], key_path))
    problems <- c(problems, check_value(api, shape$value$shape, value[[i]], value_path))
  }
  problems
}

check_string <- function(api, shape, value, path, top) {
  if (!(is.character(value) && length(value) == 1 && !is.na(value))) {
    return(expected_problem(path, "a string (character(1))", value))
  }
  if (!is_utf8_text(value)) {
    return(problem(path, "the value is not valid UTF-8 text"))
  }
  enum <- unlist(shape$enum)
  if (length(enum) && !value %in% enum) {
    shown <- show_value(value, shape)
    return(problem(path, sprintf("%s is not one of %s", shown, paste(enum, collapse = ", "))))
  }
  problems <- check_size(path, nchar(value, type = "chars"), shape, "characters")
  if (!is.null(shape$pattern) &&
    !full_match(shape$pattern, value, remember = !isTRUE(shape$sensitive))) {
    problems <- c(problems, problem(path, sprintf(
      "%s does not match the pattern %s", show_value(value, shape), shape$pattern
    )))
  }
  problems
}

check_integer <- function(api, shape, value, path, top) {
  check_whole(shape, value, path, -2^31, 2^31 - 1, "is outside the 32-bit integer range")
}

# A long is a double in R, exact only up to 2^53 (DESIGN.md): beyond that the
# number sent could differ from the one meant, so it is refused.
check_long <- function(api, shape, value, path, top) {
  check_whole(shape, value, path, -2^53, 2^53, "is beyond 2^53, where R numbers are no longer exact")
}

check_whole <- function(shape, value, path, lowest, highest, beyond) {
  ok <- (is.integer(value) || is.double(value)) && !is.object(value) && length(value) == 1 &&
    !is.na(value) && is.finite(value) && value == trunc(value)
  if (!ok) {
    return(expected_problem(path, "an integer", value))
  }
  if (value < lowest || value > highest) {
    return(problem(path, paste(format(value, scientific = FALSE), beyond)))
  }
  check_range(path, value, shape)
}

check_double <- function(api, shape, value, path, top) {
  if (!(is.numeric(value) && !is.object(value) && length(value) == 1 && !is.na(value))) {
    return(expected_problem(path, "a number", value))
  }
  check_range(path, value, shape)
}

check_boolean <- function(api, shape, value, path, top) {
  if (!(is.logical(value) && length(value) == 1 && !is.na(value))) {
    return(expected_problem(path, "TRUE or FALSE", value))
  }
  character()
}

check_blob <- function(api, shape, value, path, top) {
  if (is.raw(value)) {
    return(check_size(path, length(value), shape, "bytes"))
  }
  if (is.character(value) && length(value) == 1 && !is.na(value)) {
    if (!is_utf8_text(value)) {
      return(problem(path, "the value is not valid UTF-8 text"))
    }
    return(check_size(path, nchar(enc2utf8(value), type = "bytes"), shape, "bytes"))
  }
  expected_problem(path, "raw or a string", value)
}

check_timestamp <- function(api, shape, value, path, top) {
  ok <- (inherits(value, "POSIXct") || (is.numeric(value) && !is.object(value))) &&
    length(value) == 1 && !is.na(value)
  if (!ok) {
    return(expected_problem(path, "a POSIXct or epoch seconds (a number)", value))
  }
  character()
}

check_size <- function(path, n, shape, unit) {
  problems <- character()
  if (!is.null(shape$min) && n < shape$min) {
    problems <- problem(path, sprintf(
      "length %d is below the minimum of %s %s", n, shape$min, unit
    ))
  }
  if (!is.null(shape$max) && n > shape$max) {
    problems <- c(problems, problem(path, sprintf(
      "length %d is above the maximum of %s %s", n, shape$max, unit
    )))
  }
  problems
}

check_range <- function(path, value, shape) {
  problems <- character()
  if (!is.null(shape$min) && value < shape$min) {
    problems <- problem(path, sprintf(
      "%s is below the minimum %s", format_number(value), shape$min
    ))
  }
  if (!is.null(shape$max) && value > shape$max) {
    problems <- c(problems, problem(path, sprintf(
      "%s is above the maximum %s", format_number(value), shape$max
    )))
  }
  problems
}

expected_problem <- function(path, expected, value) {
  problem(path, sprintf("expected %s, got %s", expected, describe_type(value)))
}

problem <- function(path, text) paste0(if (nzchar(path)) path else "parameters", ": ", text)

join_path <- function(path, name) if (nzchar(path)) paste0(path, ".", name) else name

describe_type <- function(value) {
  if (is.null(value)) {
    return("NULL")
  }
  cls <- class(value)[1]
  if (is.atomic(value) && !is.object(value)) cls <- sprintf("%s(%d)", typeof(value), length(value))
  if (is.list(value) && !is.object(value)) {
    cls <- if (is.null(names(value))) "unnamed list" else "named list"
  }
  cls
}

# Values in messages are shortened, and sensitive ones never shown.
show_value <- function(value, shape) {
  if (isTRUE(shape$sensitive)) {
    return("*** (sensitive)")
  }
  if (is.list(value)) {
    return(sprintf("<list of %d>", length(value)))
  }
  if (is.raw(value)) {
    return(sprintf("<raw %d bytes>", length(value)))
  }
  text <- paste(format(value), collapse = ", ")
  if (is.character(value)) text <- paste(encodeString(value, quote = "'"), collapse = ", ")
  if (nchar(text) > 80) text <- paste0(substr(text, 1, 77), "...")
  text
}

# Text that can be sent as UTF-8: valid UTF-8 bytes, or Latin-1 marked as such
# (enc2utf8() converts it). Anything else (stray bytes from a file read in the
# wrong encoding) would make nchar() and grepl() fail untyped, or go out as
# bytes that no one meant.
is_utf8_text <- function(x) identical(Encoding(x), "latin1") || validUTF8(x)

format_number <- function(x) format(x, scientific = FALSE, digits = 15)

is_named_list <- function(x) {
  is.list(x) && !is.object(x) && (length(x) == 0 || (!is.null(names(x)) && all(nzchar(names(x)))))
}

# Full match of a model pattern, translated from the model's Java dialect by
# patterns.R with the same rules as Python; a pattern the two cannot read alike
# is skipped (TRUE) by both rather than guessed at.
#
# With `remember`, the last value checked against each pattern is kept with
# its answer (in this namespace only), so a value checked call after call (a
# function name) is matched once: R compiles the expression at each grepl(),
# which for the model's longer patterns cost more than the rest of a check.
# Never for a sensitive shape's value.
full_match <- function(pattern, value, remember = FALSE) {
  if (remember) {
    last <- pattern_matches[[pattern]]
    if (!is.null(last) && identical(last$value, value)) {
      return(last$ok)
    }
  }
  ok <- !isFALSE(pattern_full_match(pattern, value))
  if (remember) pattern_matches[[pattern]] <- list(value = value, ok = ok)
  ok
}

pattern_matches <- new.env(parent = emptyenv())
