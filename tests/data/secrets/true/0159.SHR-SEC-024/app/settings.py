import os
import json
import boto3

SHOPIFY_TOKEN = "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"
s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
