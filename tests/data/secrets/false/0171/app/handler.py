import os
import json
import boto3

commit = 'e1bcf2532785d1f1e25a66cc0b66e70546a66408'  # release
s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
