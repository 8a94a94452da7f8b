import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
REDIS_PASSWORD = "1apbl9Cb04Wj!tE"
TIMEOUT = 30
