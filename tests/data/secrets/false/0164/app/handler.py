import os
import json
labels = {'password_label': 'Enter your password', 'token_hint': 'Paste the token you received'}
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
