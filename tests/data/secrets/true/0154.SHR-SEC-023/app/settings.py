import os
import json
import boto3
MAILGUN_KEY = "key-64174795a9cbb546f7c9f4278649f56b"

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
