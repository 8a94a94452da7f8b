import os
import json
import boto3

account_sid = 'ACf6fcbb78d0b0615f4ffa4a976cf698b1'
auth_token = '6beb00bea8802f459c1a085a5ac42cd2'
s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
