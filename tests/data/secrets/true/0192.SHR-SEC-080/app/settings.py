import os
import json
import boto3
apiKey = "535b17ce-85c8-42cc-99f3-f24a6bf8c58c"

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
