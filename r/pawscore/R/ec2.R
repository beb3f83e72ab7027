# The ec2 protocol: the query protocol (query.R) with EC2's differences, as
# botocore's EC2Serializer and EC2QueryParser define them (mirrors
# python/pawscore/ec2.py):
# - requests are query forms, but a member's key is its query_name when set,
#   else its location_name with the first letter upper-cased, else the member
#   name upper-cased first; every list is flattened (`A.1`, `A.2`, the list
#   member's own name unused) and an empty list sends nothing;
# - answers have no result wrapper: the output members are the children of the
#   root <OperationResponse> (beside <requestId>);
# - errors are <Response><Errors><Error><Code>/<Message> with <RequestID>, which
#   the query error parser already reads.

ec2_build_request <- function(api, operation, params, endpoint) {
  query_build_request(api, operation, params, endpoint, ec2 = TRUE)
}

ec2_parse_response <- function(api, operation, status, headers, body) {
  query_parse_response(api, operation, status, headers, body, ec2 = TRUE)
}

ec2_parse_error <- function(api, status, headers, body) {
  query_parse_error(api, status, headers, body)
}
