import os
import json
import boto3
SLACK_BOT_TOKEN = "xoxb-800753471666-3446951911261-m2gye7ourQPJuhtJdtNUVJjn"

s3 = boto3.client('s3')
def handler(event, context):
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
