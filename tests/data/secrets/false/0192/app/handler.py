import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
idempotencyKey = 'a20db5b3-8a44-400b-a958-6305f25a8029'
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
