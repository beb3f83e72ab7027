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

# The type table of docs/contracts.md, from the fixture pytest reads too
# (tests/fixtures/types/type_triples.json; tests/python/test_type_triples.py).
test_that("every (value, Python, R) triple holds on the R side", {
  triples <- read_test_json("types/type_triples.json")
  expect_gte(length(triples$cases), 11)
  hex <- function(x) paste(format(as.hexmode(as.integer(x)), width = 2), collapse = "")
  for (case in triples$cases) {
    api <- list(
      operations = list(Op = list(name = "Op", http_method = "POST", request_uri = "/",
                                  output = "Out")),
      shapes = c(triples$shapes, list(
        Out = list(type = "structure", members = list(V = list(shape = "T"))),
        T = case$shape
      ))
    )
    body <- charToRaw(enc2utf8(paste0('{"V": ', case$wire, "}")))
    want <- case$r
    if (!is.null(want$error)) {
      expect_error(parse_response(api, "Op", 200L, character(), body),
                   class = want$error, label = case$name)
      next
    }
    value <- parse_response(api, "Op", 200L, character(), body)$V
    expect_identical(typeof(value), want$typeof, label = case$name)
    expect_identical(class(value), unlist(want$class), label = case$name)
    expect_identical(length(value), as.integer(want$length), label = case$name)
    if ("names" %in% names(want)) {
      expect_identical(names(value), unlist(want$names), label = case$name)
    }
    if (!is.null(want$tzone)) expect_identical(attr(value, "tzone"), want$tzone, label = case$name)
    got <- switch(want$typeof,
      raw = hex(value),
      list = value,
      if (inherits(value, "POSIXct")) as.numeric(value) else value
    )
    expected <- want$value
    if (want$typeof == "list") {
      expected <- if (length(expected)) expected else list()
      got <- lapply(got, function(v) if (is.integer(v)) as.numeric(v) else v)
      expected <- lapply(expected, function(v) if (is.integer(v)) as.numeric(v) else v)
      names(got) <- names(got)
    } else if (want$typeof == "integer") {
      expected <- as.integer(expected)
    } else if (want$typeof == "double") {
      expected <- as.numeric(expected)
    }
    expect_identical(got, expected, label = case$name)
  }
})
