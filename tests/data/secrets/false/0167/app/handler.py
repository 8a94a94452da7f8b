import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
request_id = '9d1ede63-d452-4882-ace9-d08ba2e915a6'
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
