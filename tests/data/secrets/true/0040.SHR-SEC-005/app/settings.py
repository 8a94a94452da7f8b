import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
GITHUB_TOKEN = "ghp_R8tXu0epEv7qVBRpkq9JsJU1qAsnKWHx85iW"
TIMEOUT = 30
