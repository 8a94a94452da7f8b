import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
refresh_token = "f62188d5cb869e3d011b68ba69060673"
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
