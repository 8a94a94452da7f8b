"""Wire protocols: each module parses a request into a params dict from the
operation's input shape and serialises an output dict or an AwsError.

A protocol module exposes:
  parse(service, op_model, req, uri_params) -> params
  serialize(service, op_model, result, req) -> (status, headers, body)
  serialize_error(service, code, message, status, shape_name, extra, req)
      -> (status, headers, body)
"""
