import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
PASSWORD_HASH = '$2b$12$tdjDJEOhzUBw43N6W298NWH7wwfg2ULtZ/e/zOR5MKmaXJ84EsK3V'
TIMEOUT = 30
