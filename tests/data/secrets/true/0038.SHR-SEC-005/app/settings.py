import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
GITHUB_TOKEN = "ghr_UNVYWfzlR3dF2fYzSr6rETszY63lcPQQiM9A"
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
