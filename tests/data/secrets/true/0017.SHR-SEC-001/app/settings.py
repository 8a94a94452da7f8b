import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
AWS_ACCESS_KEY_ID = 'AKIAFOPCNMVDZLEEBO6Q'
AWS_SECRET_ACCESS_KEY = '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'
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
