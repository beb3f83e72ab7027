# botocore's ec2 protocol cases (input-ec2.json, output-ec2.json as API data,
# every case: data/ec2_protocol_*.json), through the protocol seam. The cases not
# run as written are named here with the reason, as in
# tests/python/test_ec2_conformance.py; what they test is tested below.

ec2_skipped <- c(
  SDKAppliedContentEncoding_ec2Query =
    "request compression is not implemented; botocore skips the suite",
  SDKAppendsGzipAndIgnoresHttpProvidedEncoding_ec2Query = "request compression, as above",
  Ec2ProtocolIdempotencyTokenAutoFill =
    "expects the harness's fixed token; the uuid4 fill is tested below",
  Ec2ProtocolIdempotencyTokenAutoFillIsSet = "botocore skips the suite; tested below",
  Ec2QueryHostWithPath = "an endpoint with a path; botocore skips the suite; tested below",
  Ec2XmlLists =
    "botocore reads <item> for a flattened list whose member is named; we follow botocore (below)"
)

ec2_cases <- function(kind) form_xml_cases("ec2", kind, ec2_skipped)

ec2_case <- function(kind, id) form_xml_case("ec2", kind, id)

test_that("every ec2 input case serializes as botocore expects", {
  expect_identical(length(read_test_json("ec2_protocol_input.json")), 29L)
  cases <- ec2_cases("input")
  expect_identical(length(cases), 24L)
  for (case in cases) expect_form_input_case(case, "ec2")
})

test_that("every ec2 output case parses to the typed result", {
  expect_identical(length(read_test_json("ec2_protocol_output.json")), 29L)
  cases <- ec2_cases("output")
  expect_identical(length(cases), 28L)
  for (case in cases) expect_xml_output_case(case)
})

test_that("an ec2 flattened list's member name follows botocore", {
  case <- ec2_case("output", "Ec2XmlLists")
  body <- sub(
    "<flattenedList>hi</flattenedList>\n    <flattenedList>bye</flattenedList>",
    "<item>hi</item>\n    <item>bye</item>", case$response$body,
    fixed = TRUE
  )
  parsed <- parse_response(case$api, "XmlLists", 200L, character(), charToRaw(body))
  expect_identical(parsed$flattenedList, list("hi", "bye"))
  expect_identical(parsed$flattenedList2, list("hi", "bye"))
})

test_that("ec2 idempotency tokens are filled with a uuid4; a given one is kept", {
  expect_idempotency_token(
    "ec2", "Ec2ProtocolIdempotencyTokenAutoFill", "Ec2ProtocolIdempotencyTokenAutoFillIsSet", "Token"
  )
})

test_that("an ec2 endpoint's path is kept", {
  expect_endpoint_path_kept("ec2", "Ec2QueryHostWithPath")
})

test_that("ec2 differs from query on the same shapes", {
  api <- ec2_case("input", "Ec2ListMemberWithXmlName")$api
  params <- list(ListArg = list(), ListArgWithXmlNameMember = list("A"), ListArgWithXmlName = list("B"))
  req <- build_request(api, "QueryLists", params, "https://example.com")
  expect_identical(
    rawToChar(req$body), "Action=QueryLists&Version=2020-01-08&ListArgWithXmlNameMember.1=A&Hi.1=B"
  )
  query_api <- api
  query_api$metadata$protocol <- "query"
  req <- build_request(query_api, "QueryLists", params, "https://example.com")
  expect_identical(rawToChar(req$body), paste0(
    "Action=QueryLists&Version=2020-01-08&ListArg=&ListArgWithXmlNameMember.item.1=A&Hi.item.1=B"
  ))
  # query_name wins over location_name, and is sent as it is.
  api$shapes$QueryListsInput$members$ListArgWithXmlName$query_name <- "named"
  req <- build_request(api, "QueryLists", list(ListArgWithXmlName = list("B")), "https://example.com")
  expect_identical(rawToChar(req$body), "Action=QueryLists&Version=2020-01-08&named.1=B")
  out_api <- ec2_case("output", "Ec2SimpleScalarProperties")$api
  wrapped <- charToRaw(paste0(
    "<SimpleScalarXmlPropertiesResponse><SimpleScalarXmlPropertiesResult>",
    "<stringValue>x</stringValue></SimpleScalarXmlPropertiesResult>",
    "<stringValue>y</stringValue><requestId>r</requestId></SimpleScalarXmlPropertiesResponse>"
  ))
  parsed <- parse_response(out_api, "SimpleScalarXmlProperties", 200L, character(), wrapped)
  expect_identical(parsed, list(stringValue = "y"))
})

test_that("an ec2 error reads <Response><Errors><Error> and <RequestID>", {
  api <- ec2_case("output", "Ec2SimpleScalarProperties")$api
  body <- charToRaw(paste0(
    "<Response><Errors><Error><Code>InvalidInstanceID.Malformed</Code>",
    "<Message>Invalid id: \"1343124\"</Message></Error></Errors>",
    "<RequestID>12345</RequestID></Response>"
  ))
  err <- parse_error(api, 400L, character(), body)
  expect_identical(err$code, "InvalidInstanceID.Malformed")
  expect_identical(err$message, "Invalid id: \"1343124\"")
  expect_identical(err$request_id, "12345")
})
