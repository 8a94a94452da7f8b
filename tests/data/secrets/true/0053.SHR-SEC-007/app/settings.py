import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
SLACK_USER_TOKEN = "xoxp-687548265061-830147966387-9092225450822-1565799799fa199778e6f55f31537d42"
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
