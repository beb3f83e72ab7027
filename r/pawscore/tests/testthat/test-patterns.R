# Model patterns: R (PCRE) and Python (`regex`) read every model pattern alike.
# The pytest driver writes Python's results for tests/fixtures/patterns.

test_that("R and Python agree on every model pattern and probe", {
  data <- read_test_json("patterns_python.json")
  probes <- unlist(data$probes)
  expect_gt(length(data$patterns), 1800)
  differ <- character()
  skipped <- 0L
  for (k in seq_along(data$patterns)) {
    pattern <- data$patterns[[k]]
    found <- vapply(probes, function(v) pattern_full_match(pattern, v), logical(1),
      USE.NAMES = FALSE
    )
    mine <- if (is.na(found[1])) NULL else as.list(found)
    if (is.null(mine)) skipped <- skipped + 1L
    if (!identical(mine, data$results[[k]])) differ <- c(differ, pattern)
  }
  expect_identical(differ, character())
  expect_lte(skipped, 45L)
})

test_that("Java's forms become PCRE's, and what reads differently is skipped", {
  expect_identical(
    translate_pattern("[\\u0020-\\uD7FF\\uD800\\uDC00-\\uDBFF\\uDFFF]*"),
    "[\\x{20}-\\x{d7ff}\\x{10000}-\\x{10ffff}]*"
  )
  expect_identical(translate_pattern("[\\p{L}\\p{Z}-_]"), "[\\p{L}\\p{Z}\\-_]")
  expect_identical(translate_pattern("\\p{IsL}"), "\\p{L}")
  for (odd in c("\\bword\\b", "[\\uD800]", "[\\p{Print}&&[^|:/]]+", "[a-z]{2}{0,3}", "a${1,2}")) {
    expect_null(translate_pattern(odd), label = odd)
    expect_true(is.na(pattern_full_match(odd, "anything")), label = odd)
  }
  # ASCII shorthands, as in Java.
  expect_false(pattern_full_match("\\w+", "caf\u00e9"))
  expect_true(pattern_full_match("[\\S]+", "a\u00a0b"))
  expect_true(pattern_full_match("\U0001F600", "\U0001F600"))
})

test_that("tag patterns take Unicode letters, and validation uses them", {
  api <- list(shapes = list(
    In = list(type = "structure", members = list(Key = list(shape = "TagKey"))),
    TagKey = list(type = "string", pattern = "^(?!aws:)[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$")
  ))
  expect_silent(validate_params(api, "In", list(Key = "\u00e9quipe \u65e5\u672c")))
  err <- tryCatch(validate_params(api, "In", list(Key = "aws:reserved")), error = function(e) e)
  expect_s3_class(err, "paws_param_error")
  expect_match(err$problems[1], "does not match the pattern")
})
