import os
SLACK_USER_TOKEN = "xoxp-806538341041-659122378370-3231422761419-89c994aeda8365cf427595abb220a674"
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
