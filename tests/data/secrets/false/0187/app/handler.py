import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
auth_url = 'https://login.acme.io/authorize?client_id=abc'
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
