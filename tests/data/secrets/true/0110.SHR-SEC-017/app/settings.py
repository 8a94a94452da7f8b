import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
SENDGRID_API_KEY = "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"
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
