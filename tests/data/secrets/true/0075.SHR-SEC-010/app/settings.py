import os
import json
import boto3

s3 = boto3.client('s3')
def handler(event, context):
STRIPE_SECRET_KEY = "sk_test_HQaiiYJxXn1axNtj872Wt66kj4bZcWR0HFw0KPbM1TMAWv26fEAHAq82u5x78j3H3DWjuhdqK5YMmFcrOh9xjAPVZ5Jd1oD9OYv"
    key = event['Records'][0]['s3']['object']['key']
    return {'statusCode': 200, 'body': json.dumps({'key': key})}
TIMEOUT = 30
