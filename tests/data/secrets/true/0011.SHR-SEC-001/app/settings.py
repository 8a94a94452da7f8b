import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
AWS_ACCESS_KEY_ID = 'AKIAUBC2PBEKL6IMCMXW'
AWS_SECRET_ACCESS_KEY = '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'
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
