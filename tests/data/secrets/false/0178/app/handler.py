import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
def get_secret(name): return client.get_secret_value(SecretId=name)['SecretString']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
