import os
import json
import boto3

s3 = boto3.client('s3')
BUS_CONNECTION = "Endpoint=sb://acme-bus.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=c/rN4vU4Jhhaz2LpoUaOE+KyJhNFerxT3phRruMvG2b="
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
