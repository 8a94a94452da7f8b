import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
checksum = 'a1691c37e55c1e21d30e1ab184fa7649e54d0c91069b7d5925201aa514a7c746'
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
