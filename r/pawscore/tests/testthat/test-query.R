# botocore's query protocol cases (input-query.json, output-query.json as API
# data, every case: data/query_protocol_*.json), through the protocol seam.
# The cases not run as written are named here with the reason, as in
# tests/python/test_query_conformance.py; what they test is tested below.

query_skipped <- c(
  SDKAppliedContentEncoding_awsQuery =
    "request compression is not implemented; botocore skips the suite",
  SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsQuery = "request compression, as above",
  QueryProtocolIdempotencyTokenAutoFill =
    "expects the harness's fixed token; the uuid4 fill is tested below",
  QueryProtocolIdempotencyTokenAutoFillIsSet = "botocore skips the suite; tested below",
  QueryHostWithPath = "an endpoint with a path; botocore skips the suite; tested below",
  QueryFlattenedListArgWithXmlName = paste(
    "botocore writes item.1 (the list member's name), the case Hi.1;",
    "we follow botocore (below)"
  ),
  QueryXmlLists =
    "botocore reads <item> for a flattened list whose member is named; we follow botocore (below)"
)

query_cases <- function(kind) form_xml_cases("query", kind, query_skipped)

query_case <- function(kind, id) form_xml_case("query", kind, id)

test_that("every query input case serializes as botocore expects", {
  all_cases <- read_test_json("query_protocol_input.json")
  expect_identical(length(all_cases), 38L)
  cases <- query_cases("input")
  expect_identical(length(cases), 32L)
  for (case in cases) expect_form_input_case(case, "query")
})

test_that("every query output case parses to the typed result", {
  all_cases <- read_test_json("query_protocol_output.json")
  expect_identical(length(all_cases), 38L)
  cases <- query_cases("output")
  expect_identical(length(cases), 37L)
  for (case in cases) expect_xml_output_case(case)
})

test_that("a flattened list's member name follows botocore", {
  case <- query_case("input", "QueryFlattenedListArgWithXmlName")
  req <- build_request(case$api, case$operation, case$params, "https://example.com")
  expect_identical(rawToChar(req$body), "Action=QueryLists&Version=2020-01-08&item.1=A&item.2=B")
  case <- query_case("output", "QueryXmlLists")
  body <- sub(
    "<flattenedList>hi</flattenedList>\n        <flattenedList>bye</flattenedList>",
    "<item>hi</item>\n        <item>bye</item>", case$response$body,
    fixed = TRUE
  )
  parsed <- parse_response(case$api, "XmlLists", 200L, character(), charToRaw(body))
  expect_identical(parsed$flattenedList, list("hi", "bye"))
  expect_identical(parsed$flattenedList2, list("hi", "bye"))
  expect_identical(parsed$structureList[[2]], list(a = "3", b = "4"))
})

test_that("idempotency tokens are filled with a uuid4; a given one is kept", {
  expect_idempotency_token(
    "query", "QueryProtocolIdempotencyTokenAutoFill", "QueryProtocolIdempotencyTokenAutoFillIsSet",
    "token"
  )
})

test_that("an endpoint's path is kept", {
  expect_endpoint_path_kept("query", "QueryHostWithPath")
})

test_that("hostile XML is a paws_response_error, never a value", {
  api <- query_case("output", "QueryXmlBlobs")$api
  wrap <- function(inner) {
    paste0("<XmlBlobsResponse><XmlBlobsResult>", inner, "</XmlBlobsResult></XmlBlobsResponse>")
  }
  bodies <- list(
    laughs = charToRaw(paste0(
      '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>',
      wrap("<data>&b;</data>")
    )),
    external = charToRaw(paste0(
      '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/hostname">]>', wrap("<data>&x;</data>")
    )),
    deep = charToRaw(paste0(strrep("<a>", 101), strrep("</a>", 101))),
    latin1 = charToRaw(sub("@", "\xe9", wrap("<data>@</data>"), fixed = TRUE, useBytes = TRUE)),
    declared = charToRaw(paste0('<?xml version="1.0" encoding="ISO-8859-1"?>', wrap(""))),
    undefined = charToRaw(wrap("<data>&nope;</data>")),
    junk = charToRaw(paste0(wrap(""), "<more/>")),
    base64 = charToRaw(wrap("<data>***</data>"))
  )
  for (name in names(bodies)) {
    expect_error(
      as_response_error(
        parse_response(api, "XmlBlobs", 200L, character(), bodies[[name]]), "the answer"
      ),
      class = "paws_response_error", label = name
    )
  }
  ok <- charToRaw(paste0(strrep("<a>", 100), strrep("</a>", 100)))
  expect_identical(xml2::xml_name(query_read_xml(ok)), "a")
  err <- parse_error(api, 500L, c(`x-amzn-RequestId` = "h"), bodies$laughs)
  expect_identical(err$code, "Http500")
  expect_identical(err$request_id, "h")
})
