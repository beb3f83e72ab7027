# Validation against the model: every problem in one paws_param_error.

api <- list(shapes = list(
  Input = list(type = "structure", required = list("Name"), members = list(
    Name = list(shape = "Name"),
    Count = list(shape = "Count"),
    Big = list(shape = "Long"),
    Ratio = list(shape = "Ratio"),
    Flag = list(shape = "Flag"),
    Data = list(shape = "Data"),
    When = list(shape = "When"),
    Mode = list(shape = "Mode"),
    Tags = list(shape = "Tags"),
    Items = list(shape = "Items"),
    Nested = list(shape = "Nested"),
    Secret = list(shape = "Secret")
  )),
  Name = list(type = "string", min = 1L, max = 10L, pattern = "[a-z]+(-[a-z]+)*"),
  Count = list(type = "integer", min = 1L, max = 5L),
  Long = list(type = "long"),
  Ratio = list(type = "double", max = 1),
  Flag = list(type = "boolean"),
  Data = list(type = "blob", max = 4L),
  When = list(type = "timestamp"),
  Mode = list(type = "string", enum = list("A", "B")),
  Tags = list(type = "map", key = list(shape = "Name"), value = list(shape = "Mode"), max = 2L),
  Items = list(type = "list", member = list(shape = "Count"), min = 1L),
  Nested = list(type = "structure", required = list("Mode"), members = list(
    Mode = list(shape = "Mode")
  )),
  Secret = list(type = "string", sensitive = TRUE, pattern = "[0-9]+")
))

problems_of <- function(params) {
  err <- tryCatch(validate_params(api, "Input", params), paws_param_error = function(e) e)
  expect_s3_class(err, c("paws_param_error", "paws_error", "error", "condition"))
  err$problems
}

test_that("valid input passes and NULL members are dropped", {
  params <- list(
    Name = "ok-name", Count = 3, Big = 2^53, Ratio = 0.5, Flag = TRUE, Data = as.raw(1:4),
    When = Sys.time(), Mode = "A", Tags = list(abc = "B"), Items = c(1L, 2L),
    Nested = list(Mode = "B"), Secret = "123", Unused = NULL
  )
  expect_identical(names(validate_params(api, "Input", params)), setdiff(names(params), "Unused"))
  expect_identical(validate_params(api, "Input", list(Name = "x", Data = "abcd", When = 0))$Data, "abcd")
})

test_that("a missing required argument is reported", {
  expect_identical(problems_of(list(Name = NULL)), "Name: required parameter is missing")
})

test_that("every problem is listed at once", {
  problems <- problems_of(list(
    Count = 2.5, Ratio = 2, Flag = "yes", Data = 1:3, When = "2020-01-01", Mode = "C",
    Tags = list(a = "A", b = "B", c = "C"), Items = list(), Nested = list(Bogus = 1),
    Extra = 1
  ))
  expect_identical(problems, c(
    "Name: required parameter is missing",
    "Count: expected an integer, got double(1)",
    "Ratio: 2 is above the maximum 1",
    "Flag: expected TRUE or FALSE, got character(1)",
    "Data: expected raw or a string, got integer(3)",
    "When: expected a POSIXct or epoch seconds (a number), got character(1)",
    "Mode: 'C' is not one of A, B",
    "Tags: length 3 is above the maximum of 2 entries",
    "Tags['c']: 'C' is not one of A, B",
    "Items: length 0 is below the minimum of 1 items",
    "Nested.Mode: required member is missing",
    "Nested.Bogus: unknown parameter; expected one of Mode",
    paste(
      "Extra: unknown parameter; expected one of",
      "Name, Count, Big, Ratio, Flag, Data, When, Mode, Tags, Items, Nested, Secret"
    )
  ))
})

test_that("lengths, ranges and patterns are checked", {
  expect_identical(problems_of(list(Name = "")), c(
    "Name: length 0 is below the minimum of 1 characters",
    "Name: '' does not match the pattern [a-z]+(-[a-z]+)*"
  ))
  expect_identical(
    problems_of(list(Name = "abc-")),
    "Name: 'abc-' does not match the pattern [a-z]+(-[a-z]+)*"
  )
  # A pattern must match the whole value, not a part of it.
  expect_length(problems_of(list(Name = "ab1")), 1)
  expect_identical(problems_of(list(Name = "a", Count = 0L)), "Count: 0 is below the minimum 1")
  expect_identical(
    problems_of(list(Name = "a", Data = as.raw(1:5))),
    "Data: length 5 is above the maximum of 4 bytes"
  )
  expect_identical(
    problems_of(list(Name = "a", Items = list(1L, 9L))),
    "Items[2]: 9 is above the maximum 5"
  )
  expect_identical(
    problems_of(list(Name = "a", Tags = list(BAD = "A"))),
    "Tags key 'BAD': 'BAD' does not match the pattern [a-z]+(-[a-z]+)*"
  )
})

test_that("sensitive values never appear in problems", {
  problems <- problems_of(list(Name = "a", Secret = "hunter2"))
  expect_length(problems, 1)
  expect_false(grepl("hunter2", problems))
})

test_that("sensitive map keys are named by position, never shown", {
  secret_keys <- api
  secret_keys$shapes$Input$members$Env <- list(shape = "Env")
  secret_keys$shapes$Env <- list(type = "map", key = list(shape = "Secret"), value = list(shape = "Mode"))
  err <- tryCatch(
    validate_params(secret_keys, "Input", list(Name = "a", Env = list(DB_PASSWORD = "C"))),
    paws_param_error = function(e) e
  )
  expect_false(any(grepl("DB_PASSWORD", err$problems)))
  expect_true(any(grepl("Env key #1", err$problems, fixed = TRUE)))
  expect_true(any(grepl("Env[#1]", err$problems, fixed = TRUE)))
})

test_that("integers beyond 32 bits and longs beyond 2^53 are refused", {
  expect_match(problems_of(list(Name = "a", Items = list(2^31))), "outside the 32-bit integer range")
  # 2^31 - 1 fits in 32 bits: only the model's own maximum (5) applies
  expect_match(problems_of(list(Name = "a", Items = list(2^31 - 1))), "above the maximum")
  expect_match(problems_of(list(Name = "a", Big = 2^53 + 2)), "beyond 2\\^53")
  expect_no_error(validate_params(api, "Input", list(Name = "a", Big = -2^53)))
  expect_no_error(validate_params(api, "Input", list(Name = "a", Big = 2^53)))
})

test_that("types that look alike are told apart", {
  expect_match(problems_of(list(Name = c("a", "b"))), "expected a string")
  expect_match(problems_of(list(Name = NA_character_)), "expected a string")
  expect_match(problems_of(list(Name = "a", Tags = list("A"))), "expected a named list \\(map\\)")
  expect_match(problems_of(list(Name = "a", Nested = "x")), "expected a named list \\(structure Nested\\)")
  expect_match(problems_of(list(Name = "a", Items = list(a = 1L))), "expected an unnamed list or vector")
})

test_that("the Lambda model's own patterns and enums apply", {
  lambda <- lambda_api()
  params <- list(FunctionName = "my function!", InvocationType = "Later")
  err <- tryCatch(
    validate_params(lambda, "InvokeWithResponseStreamRequest", params),
    paws_param_error = function(e) e
  )
  expect_length(err$problems, 2)
  expect_match(err$problems[1], "^FunctionName: 'my function!' does not match the pattern")
  expect_match(err$problems[2], "^InvocationType: 'Later' is not one of RequestResponse, DryRun$")
  expect_match(conditionMessage(err), "Invalid parameters \\(2 problem\\(s\\)\\)")
})

test_that("a pattern's remembered answer is only ever for the same value", {
  pattern <- "[a-z]+"
  answers <- vapply(c("abc", "abc", "ABC", "ABC", "abc", "ab1", "abc"), function(v) {
    full_match(pattern, v, remember = TRUE)
  }, logical(1))
  expect_identical(unname(answers), c(TRUE, TRUE, FALSE, FALSE, TRUE, FALSE, TRUE))
  expect_identical(pattern_matches[[pattern]], list(value = "abc", ok = TRUE))
  # A sensitive shape's value is never kept.
  api <- list(shapes = list(
    In = list(type = "structure", members = list(P = list(shape = "Secret"))),
    Secret = list(type = "string", sensitive = TRUE, pattern = "[0-9]+")
  ))
  expect_error(validate_params(api, "In", list(P = "no")), class = "paws_param_error")
  expect_identical(validate_params(api, "In", list(P = "123")), list(P = "123"))
  expect_null(pattern_matches[["[0-9]+"]])
})
