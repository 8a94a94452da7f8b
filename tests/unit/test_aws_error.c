#include "cmocka_prelude.h"
#include <stdlib.h>
#include <string.h>

#include "aws/transport.h"
#include "util/log.h"

static void
parse(enum aws_protocol proto, int status, const char *hdr, const char *body, struct err *e)
{
	memset(e, 0, sizeof(*e));
	strcpy(e->aws_code, "stale"); /* every call starts from empty fields */
	aws_error_parse(proto, status, hdr, body, body ? strlen(body) : 0, e);
}

static void
test_error_json_type_with_namespace_prefix(void **state)
{
	struct err e;

	(void)state;
	/* DynamoDB (json 1.0) */
	parse(AWS_PROTO_JSON, 400, NULL,
	      "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException\","
	      "\"message\":\"Requested resource not found: Table: orders not found\"}",
	      &e);
	assert_string_equal(e.aws_code, "ResourceNotFoundException");
	assert_string_equal(e.msg, "Requested resource not found: Table: orders not found");
	/* CloudWatch Logs (json 1.1), no prefix */
	parse(AWS_PROTO_JSON, 400, NULL,
	      "{\"__type\":\"ResourceNotFoundException\",\"message\":\"The specified log group does "
	      "not exist.\"}",
	      &e);
	assert_string_equal(e.aws_code, "ResourceNotFoundException");
	/* throttling from the coral front end, capital Message */
	parse(AWS_PROTO_JSON, 400, NULL,
	      "{\"__type\":\"com.amazon.coral.availability#ThrottlingException\",\"Message\":\"Rate "
	      "exceeded\"}",
	      &e);
	assert_string_equal(e.aws_code, "ThrottlingException");
	assert_string_equal(e.msg, "Rate exceeded");
}

static void
test_error_rest_json_header_then_body(void **state)
{
	struct err e;

	(void)state;
	/* Lambda: the code is only in x-amzn-ErrorType, with a ":http://..." tail */
	parse(AWS_PROTO_REST_JSON, 404,
	      "ResourceNotFoundException:http://internal.amazon.com/coral/com.amazonaws.lambda/",
	      "{\"Type\":\"User\",\"Message\":\"Function not found: "
	      "arn:aws:lambda:us-east-1:123456789012:function:f\"}",
	      &e);
	assert_string_equal(e.aws_code, "ResourceNotFoundException");
	assert_string_equal(e.msg,
	                    "Function not found: arn:aws:lambda:us-east-1:123456789012:function:f");
	/* Lambda throttling: 429 TooManyRequestsException with a Reason */
	parse(AWS_PROTO_REST_JSON, 429, "TooManyRequestsException",
	      "{\"Reason\":\"CallerRateLimitExceeded\",\"Type\":\"User\",\"message\":\"Rate exceeded\"}",
	      &e);
	assert_string_equal(e.aws_code, "TooManyRequestsException");
	/* API Gateway: code in the body's "code" when there is no header */
	parse(AWS_PROTO_REST_JSON, 404, NULL,
	      "{\"code\":\"NotFoundException\",\"message\":\"Invalid API identifier specified "
	      "123456789012:abc\"}",
	      &e);
	assert_string_equal(e.aws_code, "NotFoundException");
	assert_string_equal(e.msg, "Invalid API identifier specified 123456789012:abc");
	/* the header wins over the body for rest-json */
	parse(AWS_PROTO_REST_JSON, 403, "AccessDeniedException", "{\"__type\":\"Other\"}", &e);
	assert_string_equal(e.aws_code, "AccessDeniedException");
}

static void
test_error_query_error_response(void **state)
{
	struct err e;

	(void)state;
	parse(AWS_PROTO_QUERY, 404, NULL,
	      "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">\n"
	      "  <Error>\n    <Type>Sender</Type>\n    <Code>NoSuchEntity</Code>\n"
	      "    <Message>The role with name shears-test cannot be found.</Message>\n"
	      "  </Error>\n  <RequestId>4c3e0f1b-6a5d-4a8e-9c1f-0c1a2b3c4d5e</RequestId>\n"
	      "</ErrorResponse>\n",
	      &e);
	assert_string_equal(e.aws_code, "NoSuchEntity");
	assert_string_equal(e.msg, "The role with name shears-test cannot be found.");
	/* SQS's query errors carry a dotted code */
	parse(AWS_PROTO_QUERY, 400, NULL,
	      "<?xml version=\"1.0\"?><ErrorResponse "
	      "xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><Error><Type>Sender</Type>"
	      "<Code>AWS.SimpleQueueService.NonExistentQueue</Code><Message>The specified queue "
	      "does not exist for this wsdl version.</Message><Detail/></Error>"
	      "<RequestId>5b3c1b4e</RequestId></ErrorResponse>",
	      &e);
	assert_string_equal(e.aws_code, "AWS.SimpleQueueService.NonExistentQueue");
	/* STS throttling */
	parse(AWS_PROTO_QUERY, 400, NULL,
	      "<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate "
	      "exceeded</Message></Error></ErrorResponse>",
	      &e);
	assert_string_equal(e.aws_code, "Throttling");
	/* EC2-style Response/Errors/Error */
	parse(AWS_PROTO_QUERY, 503, NULL,
	      "<Response><Errors><Error><Code>RequestLimitExceeded</Code><Message>Request limit "
	      "exceeded.</Message></Error></Errors><RequestID>x</RequestID></Response>",
	      &e);
	assert_string_equal(e.aws_code, "RequestLimitExceeded");
}

static void
test_error_rest_xml_s3(void **state)
{
	struct err e;

	(void)state;
	parse(AWS_PROTO_REST_XML, 404, NULL,
	      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchBucketPolicy</Code>"
	      "<Message>The bucket policy does not exist</Message><BucketName>shears-demo</BucketName>"
	      "<RequestId>4442587FB7D0A2F9</RequestId><HostId>abc=</HostId></Error>",
	      &e);
	assert_string_equal(e.aws_code, "NoSuchBucketPolicy");
	assert_string_equal(e.msg, "The bucket policy does not exist");
	parse(AWS_PROTO_REST_XML, 503, NULL,
	      "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>",
	      &e);
	assert_string_equal(e.aws_code, "SlowDown");
	/* a HEAD answer has no body: the status is the code, as in botocore */
	parse(AWS_PROTO_REST_XML, 404, NULL, NULL, &e);
	assert_string_equal(e.aws_code, "404");
}

static void
test_error_malformed_or_foreign_bodies_leave_fields_empty(void **state)
{
	struct err e;

	(void)state;
	parse(AWS_PROTO_JSON, 400, NULL, "{\"__type\": ", &e);
	assert_string_equal(e.aws_code, "");
	parse(AWS_PROTO_QUERY, 502, NULL, "<html><body>Bad Gateway</body></html>", &e);
	assert_string_equal(e.aws_code, "");
	parse(AWS_PROTO_REST_JSON, 500, NULL, "internal error", &e);
	assert_string_equal(e.aws_code, "");
	assert_string_equal(e.msg, "");
	parse(AWS_PROTO_REST_JSON, 500, NULL, "[1,2]", &e);
	assert_string_equal(e.aws_code, "");
	/* a JSON body from a query service (a proxy in front) is still read */
	parse(AWS_PROTO_QUERY, 400, NULL, "{\"code\":\"ValidationError\",\"message\":\"bad\"}", &e);
	assert_string_equal(e.aws_code, "ValidationError");
	/* a header alone is enough; only the code part is kept */
	parse(AWS_PROTO_JSON, 400, "UnrecognizedClientException:http://internal.amazon.com/", "",
	      &e);
	assert_string_equal(e.aws_code, "UnrecognizedClientException");
	/* an over-long code is cut, not overflowed */
	{
		char body[400];

		memset(body, 0, sizeof(body));
		strcpy(body, "{\"__type\":\"");
		memset(body + strlen(body), 'A', 200);
		strcat(body, "\"}");
		parse(AWS_PROTO_JSON, 400, NULL, body, &e);
		assert_int_equal(strlen(e.aws_code), sizeof(e.aws_code) - 1);
	}
}

static void
test_error_message_scrubs_registered_secrets(void **state)
{
	struct err e;

	(void)state;
	log_add_secret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
	parse(AWS_PROTO_JSON, 400, NULL,
	      "{\"__type\":\"InvalidSignatureException\",\"message\":\"bad key "
	      "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"}",
	      &e);
	assert_null(strstr(e.msg, "wJalrXUtnFEMI"));
	assert_string_equal(e.aws_code, "InvalidSignatureException");
	log_forget_secrets();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_error_json_type_with_namespace_prefix),
		cmocka_unit_test(test_error_rest_json_header_then_body),
		cmocka_unit_test(test_error_query_error_response),
		cmocka_unit_test(test_error_rest_xml_s3),
		cmocka_unit_test(test_error_malformed_or_foreign_bodies_leave_fields_empty),
		cmocka_unit_test(test_error_message_scrubs_registered_secrets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
