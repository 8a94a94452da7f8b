import os
import json
import boto3
STRIPE_SECRET_KEY = "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"

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
