import os
SECRET_TOKEN = "9723a7618ff663b774d7fae580c54a14"
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
