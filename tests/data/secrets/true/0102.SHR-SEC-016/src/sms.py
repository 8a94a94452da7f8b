import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
account_sid = 'ACf1dc3b816426fd9fcc107cb17ce26219'
auth_token = '9569e5773ab8a6c02f85caceacf92df3'
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
