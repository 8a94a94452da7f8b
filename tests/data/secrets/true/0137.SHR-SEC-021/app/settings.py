import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
SERVICE_JWT = "eyJhbGciOiAiRVMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiRTNCR3lFMHZWeW1PIiwgImlhdCI6IDE2OTAxMzAwOTIsICJyb2xlIjogInNlcnZpY2UifQ.IvWfafTp5dpK8eQOHgwTNG0QKhyU2WF2oL5WbntJejs"
TIMEOUT = 30
