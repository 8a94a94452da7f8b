import os
import json
account_sid = 'AC45782cf942ff0f1992af3cb8c7c0c0ea'
auth_token = '1e1491862d3115a8f539365452399adb'
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
