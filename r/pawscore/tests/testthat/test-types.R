# The DESIGN.md type table on the R side, including its edges.

types_api <- list(
  operations = list(Op = list(name = "Op", http_method = "POST", request_uri = "/op",
                              output = "Out", input = "In")),
  shapes = list(
    In = list(type = "structure", members = list(
      When = list(shape = "Time"), Data = list(shape = "Blob"), Big = list(shape = "Long"),
      Tags = list(shape = "Map"), Items = list(shape = "List"),
      Stamp = list(shape = "Time", location = "header", location_name = "X-Stamp")
    )),
    Out = list(type = "structure", members = list(
      Count = list(shape = "Int"), Big = list(shape = "Long"), Ratio = list(shape = "Double"),
      Ok = list(shape = "Bool"), When = list(shape = "Time"), Data = list(shape = "Blob"),
      Items = list(shape = "List"), Tags = list(shape = "Map"), Empty = list(shape = "Map"),
      Stamp = list(shape = "Time", location = "header", location_name = "X-Stamp"),
      Status = list(shape = "Int", location = "statusCode")
    )),
    Int = list(type = "integer"), Long = list(type = "long"), Double = list(type = "double"),
    Bool = list(type = "boolean"), Time = list(type = "timestamp"), Blob = list(type = "blob"),
    Str = list(type = "string"),
    List = list(type = "list", member = list(shape = "Str")),
    Map = list(type = "map", key = list(shape = "Str"), value = list(shape = "Int"))
  )
)

parse_body <- function(json, headers = character()) {
  parse_response(types_api, "Op", 200L, headers, charToRaw(json))
}

test_that("each model type parses to its R type", {
  out <- parse_body(
    '{"Count": 3, "Big": 9007199254740992, "Ratio": 0.25, "Ok": true, "When": 1576540098.5,
      "Data": "AAEC", "Items": ["a", "b"], "Tags": {"x": 1}, "Empty": {}}',
    c(`x-stamp` = "Mon, 16 Dec 2019 23:48:18 GMT")
  )
  expect_identical(names(out), c("Count", "Big", "Ratio", "Ok", "When", "Data", "Items", "Tags",
                                 "Empty", "Stamp", "Status"))
  expect_identical(out$Count, 3L)
  expect_identical(out$Big, 2^53)
  expect_identical(out$Ratio, 0.25)
  expect_identical(out$Ok, TRUE)
  expect_identical(out$When, as.POSIXct(1576540098.5, origin = "1970-01-01", tz = "UTC"))
  expect_identical(attr(out$When, "tzone"), "UTC")
  expect_identical(out$Data, as.raw(0:2))
  expect_identical(out$Items, list("a", "b"))
  expect_identical(out$Tags, list(x = 1L))
  expect_identical(out$Empty, structure(list(), names = character()))
  expect_identical(out$Stamp, as.POSIXct(1576540098, origin = "1970-01-01", tz = "UTC"))
  expect_identical(out$Status, 200L)
})

test_that("a long beyond 2^53 is an error, never a rounded number", {
  expect_error(parse_body('{"Big": 9007199254740993}'), class = "paws_response_error")
  expect_identical(parse_body('{"Big": -9007199254740992}')$Big, -2^53)
})

test_that("broken JSON in a 2xx body is a typed error", {
  expect_error(parse_body('{"Count": '), class = "paws_response_error")
})

test_that("inputs serialize timestamps as epoch seconds and blobs as base64", {
  when <- as.POSIXct("2019-12-16 23:48:18", tz = "UTC")
  req <- build_request(types_api, "Op", list(
    When = when, Data = charToRaw("value"), Big = 2^53, Tags = list(), Items = c("a", "b"),
    Stamp = when
  ), "http://h")
  expect_identical(
    jsonlite::parse_json(rawToChar(req$body)),
    list(
      When = 1576540098L, Data = "dmFsdWU=", Big = 9007199254740992,
      Tags = structure(list(), names = character()), Items = list("a", "b")
    )
  )
  expect_identical(req$headers[["X-Stamp"]], "Mon, 16 Dec 2019 23:48:18 GMT")
  expect_identical(req$headers[["Content-Type"]], "application/json")
  expect_match(rawToChar(req$body), '"Tags":{}', fixed = TRUE)
})

test_that("long blobs are base64 on one line", {
  req <- build_request(types_api, "Op", list(Data = as.raw(rep(0:255, 4))), "http://h")
  body <- rawToChar(req$body)
  expect_false(grepl("\\n", body, fixed = TRUE))
  expect_identical(jsonlite::base64_dec(jsonlite::parse_json(body)$Data), as.raw(rep(0:255, 4)))
})

test_that("an unreadable integer is one typed error, with no coercion warning", {
  expect_warning(
    expect_error(parse_integer("twelve"), class = "paws_response_error"),
    regexp = NA
  )
  expect_identical(parse_integer("12"), 12L)
})
