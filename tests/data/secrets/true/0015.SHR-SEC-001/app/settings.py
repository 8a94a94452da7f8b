import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
AWS_ACCESS_KEY_ID = 'AKIAQQFRZLFBMH7OFK3R'
AWS_SECRET_ACCESS_KEY = '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'
TIMEOUT = 30
