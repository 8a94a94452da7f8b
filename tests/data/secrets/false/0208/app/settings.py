import os
import json
BUILD_ID = "eyJ0N8sN-R2acObW1aPpngY.4_rajoyZgc-taO74eL-EIhntbApBi0"
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
